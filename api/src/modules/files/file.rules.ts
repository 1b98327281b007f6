/**
 * What a customer or staff member may upload as a document (business licence, ID card, lease, message
 * attachment): images or PDF, up to 10 MB, judged by the bytes — the file name and the declared type are
 * only claims. Pure: no I/O.
 */
import { DomainError } from '../../lib/errors';
import { sniffImage } from '../workorders/photo.store';

export const DOC_MIMES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'] as const;
export type DocMime = (typeof DOC_MIMES)[number];
export const MAX_DOC_BYTES = 10 * 1024 * 1024;

/** Why a document is kept: the module that owns it decides who may see it. */
export const FILE_PURPOSES = ['enterprise_licence', 'application_doc', 'message_attachment'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

const refused = (message: string) => new DomainError('BAD_REQUEST', message);

/** Things people rename to .pdf or .jpg by mistake or on purpose, named so the refusal says what it saw. */
const KNOWN_NOT_DOCUMENTS: { test: (b: Buffer) => boolean; what: string }[] = [
  { test: (b) => b.length >= 2 && b[0] === 0x4d && b[1] === 0x5a, what: 'Windows 可执行程序' },
  { test: (b) => b.length >= 4 && b.readUInt32BE(0) === 0x7f454c46, what: '可执行程序' },
  { test: (b) => b.length >= 4 && [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(b.readUInt32BE(0)), what: '可执行程序' },
  { test: (b) => b.length >= 2 && b[0] === 0x23 && b[1] === 0x21, what: '脚本文件' },
  { test: (b) => b.length >= 4 && b.readUInt32BE(0) === 0x504b0304, what: '压缩包或 Office 文档' },
  { test: (b) => b.length >= 6 && b.toString('latin1', 0, 6) === 'Rar!\x1a\x07', what: '压缩包' },
  { test: (b) => /^\s*<(!doctype|html|svg|\?xml|script)/i.test(b.toString('latin1', 0, 64)), what: '网页或 SVG 文件' },
];

/** A real PDF starts with %PDF-1.x / 2.x and ends (allowing trailing whitespace or an appended update) with %%EOF. */
function isPdf(buf: Buffer): boolean {
  if (buf.length < 16 || !/^%PDF-[12]\.\d/.test(buf.toString('latin1', 0, 8))) return false;
  return buf.toString('latin1', Math.max(0, buf.length - 1024)).includes('%%EOF');
}

/** What the bytes are; refuses anything that is not an image or a PDF, saying what it looks like. */
export function sniffDocument(buf: Buffer): DocMime {
  if (buf.length === 0) throw refused('文件内容为空，请重新选择');
  if (buf.length > MAX_DOC_BYTES) throw refused('单个文件不能超过10MB');
  const image = sniffImage(buf);
  if (image) return image;
  if (isPdf(buf)) return 'application/pdf';
  if (buf.toString('latin1', 0, 5) === '%PDF-') throw refused('PDF 文件不完整或已损坏，请重新导出后上传');
  const known = KNOWN_NOT_DOCUMENTS.find((k) => k.test(buf));
  if (known) throw refused(`文件内容是${known.what}，不是图片或 PDF，请上传证件照片或 PDF 文件`);
  throw refused('文件内容不是图片或 PDF，请上传 PNG、JPEG、WebP 图片或 PDF 文件');
}

/** Decodes a `data:<type>;base64,` URL and checks size and content (the declared type is ignored: the bytes decide). */
export function decodeDocumentDataUrl(dataUrl: string): { data: Buffer; mime: DocMime } {
  const m = /^data:([\w/+.-]*)(?:;[\w=.-]+)*;base64,([A-Za-z0-9+/=\s]+)$/.exec(dataUrl);
  if (!m) throw refused('文件格式不正确，请重新选择');
  const b64 = m[2].replace(/\s/g, '');
  // Size before decoding the whole thing: base64 is 4 characters per 3 bytes.
  if (Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0) > MAX_DOC_BYTES) {
    throw refused('单个文件不能超过10MB');
  }
  const data = Buffer.from(b64, 'base64');
  return { data, mime: sniffDocument(data) };
}

/** A file name safe to show and to put in Content-Disposition: no path, no control characters, ≤ 80 characters. */
export function cleanFileName(name: string, mime: DocMime): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\p{Cc}"<>|?*:]/gu, '')
    .trim()
    .slice(-80);
  const ext = mime === 'application/pdf' ? '.pdf' : mime === 'image/png' ? '.png' : mime === 'image/webp' ? '.webp' : '.jpg';
  if (!base) return `文件${ext}`;
  // The extension follows the content, so a renamed file shows what it really is.
  return /\.[A-Za-z0-9]{1,5}$/.test(base) ? base.replace(/\.[A-Za-z0-9]{1,5}$/, ext) : base + ext;
}
