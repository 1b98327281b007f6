/** Saves a file the API produced (a CSV with its BOM, a PDF's bytes) under the given name, through a Blob link. */
export function downloadFile(filename: string, data: string | Uint8Array<ArrayBuffer>, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
