import { useMutation } from '@tanstack/react-query';
import { useCallback } from 'react';
import { t } from './i18n';
import { useTRPC } from './trpc';
import { readAsDataUrl } from './workorders';

/** What the API keeps a document for (api/src/modules/files/file.rules.ts FILE_PURPOSES). */
export type FilePurpose = 'enterprise_licence' | 'application_doc' | 'message_attachment';
export interface FileView {
  id: string;
  name: string;
  mime: 'image/png' | 'image/jpeg' | 'image/webp' | 'application/pdf';
  size: number;
}

export const DOCUMENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'];
export const DOCUMENT_ACCEPT = '.jpg,.jpeg,.png,.webp,.pdf,image/png,image/jpeg,image/webp,application/pdf';
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

/** The browser's first check (type and size); the API checks the bytes themselves. */
export function checkDocument(file: File): string | null {
  const byName = /\.(jpe?g|png|webp|pdf)$/i.test(file.name);
  if (!DOCUMENT_TYPES.includes(file.type) && !byName) return t.files.type;
  if (file.size > DOCUMENT_MAX_BYTES) return t.files.size;
  return null;
}

/** `upload(file, purpose)` → the stored file's view; throws the API's Chinese refusal (show it with errorMessage). */
export function useDocumentUpload() {
  const trpc = useTRPC();
  const mutation = useMutation(trpc.files.upload.mutationOptions());
  const { mutateAsync } = mutation;
  const upload = useCallback(
    async (file: File, purpose: FilePurpose): Promise<FileView> => {
      const problem = checkDocument(file);
      if (problem) throw new Error(problem);
      return (await mutateAsync({ purpose, name: file.name, dataUrl: await readAsDataUrl(file) })) as FileView;
    },
    [mutateAsync],
  );
  return { upload, uploading: mutation.isPending };
}

export function fileSizeLabel(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
