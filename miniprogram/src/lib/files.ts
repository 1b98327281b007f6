/**
 * Absolute (weapp) or same-origin (H5) URL of a signed file path from the API (`/files/…?token=…`: receipts
 * from billing.documentLink, photos from workorder.photoLinks): the API origin is API_BASE without `/trpc`.
 */
export function fileUrl(apiBase: string, path: string): string {
  const origin = apiBase.replace(/\/+$/, '').replace(/\/trpc$/, '');
  return /^https?:\/\//.test(origin) ? `${origin}${path}` : path;
}
