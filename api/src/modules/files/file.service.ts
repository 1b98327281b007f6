/**
 * Uploaded documents: kept durably before the upload is acknowledged, attached only by their uploader,
 * and read only through short-lived signed links. The module that owns the object a file belongs to (an
 * enterprise application, a service application, a message) decides who may see it and then asks here
 * for links; this module never decides access on its own beyond "you may attach only your own uploads".
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Types } from 'mongoose';
import type { Config } from '../../config';
import { readFileToken, refuseFile, signFileLink } from '../../http/file-links';
import type { RawRoute } from '../../http/types';
import { DomainError } from '../../lib/errors';
import type { AccessClaims, KeyRing } from '../auth/tokens';
import { consumeLimit } from '../limits/rate-limit.service';
import { DocumentFileModel } from './file.model';
import { cleanFileName, decodeDocumentDataUrl, type DocMime, type FilePurpose } from './file.rules';

export type { FilePurpose } from './file.rules';

export interface FileView {
  id: string;
  name: string;
  mime: DocMime;
  size: number;
}
export interface DocumentLink extends FileView {
  url: string;
  expiresAt: string;
}

/** Long enough to look through an application's documents; screens ask again when they reopen. */
export const DOCUMENT_LINK_TTL_SEC = 600;
const DOC_PATH = /^\/files\/docs\/([0-9a-f]{24})$/;

const toView = (d: { _id: Types.ObjectId; name: string; mime: string; size: number }): FileView => ({
  id: String(d._id),
  name: d.name,
  mime: d.mime as DocMime,
  size: d.size,
});

export async function storeUpload(
  user: AccessClaims,
  input: { purpose: FilePurpose; name: string; dataUrl: string },
  opts: { ip?: string | null } = {},
): Promise<FileView> {
  await consumeLimit('documentUpload', { user: user.sub, ip: opts.ip ?? null });
  const { data, mime } = decodeDocumentDataUrl(input.dataUrl);
  const doc = await DocumentFileModel.create({
    ownerId: new Types.ObjectId(user.sub),
    purpose: input.purpose,
    name: cleanFileName(input.name, mime),
    mime,
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    data,
    createdAt: new Date(),
  });
  return toView(doc);
}

/** Of these ids, the ones this user uploaded (for this purpose, when given), in the order asked. */
export async function ownedFileIds(ids: readonly string[], userId: string, purpose?: FilePurpose): Promise<string[]> {
  const valid = ids.filter((id) => Types.ObjectId.isValid(id));
  if (!valid.length) return [];
  const filter: Record<string, unknown> = { _id: { $in: valid.map((id) => new Types.ObjectId(id)) }, ownerId: new Types.ObjectId(userId) };
  if (purpose) filter.purpose = purpose;
  const found = new Set((await DocumentFileModel.find(filter, { _id: 1 }).lean()).map((d) => String(d._id)));
  return valid.filter((id) => found.has(id));
}

/** Refuses unless every id is the caller's own upload: what a write that attaches files calls first. */
export async function assertOwnFiles(ids: readonly string[], userId: string, purpose?: FilePurpose): Promise<string[]> {
  const unique = [...new Set(ids)];
  const owned = await ownedFileIds(unique, userId, purpose);
  if (owned.length !== unique.length) throw new DomainError('BAD_REQUEST', '附件不存在或不是您上传的，请重新上传');
  return owned;
}

export async function fileViews(ids: readonly string[]): Promise<FileView[]> {
  const valid = ids.filter((id) => Types.ObjectId.isValid(id));
  if (!valid.length) return [];
  const docs = await DocumentFileModel.find({ _id: { $in: valid.map((id) => new Types.ObjectId(id)) } }, { data: 0 }).lean();
  const byId = new Map(docs.map((d) => [String(d._id), toView(d)]));
  return valid.flatMap((id) => byId.get(id) ?? []);
}

/** Signed links for files the caller's module has already decided this user may see. */
export async function signDocumentLinks(
  services: { cfg: Config; keys: KeyRing },
  user: Pick<AccessClaims, 'sub'>,
  ids: readonly string[],
): Promise<DocumentLink[]> {
  const views = await fileViews(ids);
  return Promise.all(
    views.map(async (v) => ({
      ...v,
      ...(await signFileLink(services, `/files/docs/${v.id}`, { doc: v.id }, { subject: user.sub, ttlSec: DOCUMENT_LINK_TTL_SEC })),
    })),
  );
}

export async function serveDocument(services: { cfg: Config; keys: KeyRing }, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const id = DOC_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname)?.[1];
  if (!id) return refuseFile(res, 404, '文件不存在');
  if (!(await readFileToken(services, req, res, (c) => c.doc === id))) return;
  const doc = await DocumentFileModel.findById(id).lean();
  if (!doc) return refuseFile(res, 404, '文件不存在');
  // A lean read gives the driver's Binary, whose .buffer holds the bytes.
  const raw = doc.data as unknown as { buffer?: Uint8Array } & Uint8Array;
  const data = Buffer.from(raw.buffer ?? raw);
  res.writeHead(200, {
    'content-type': doc.mime,
    'content-length': data.length,
    'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(doc.name)}`,
    // The link is personal and short-lived: the browser may keep it for its lifetime, shared caches never.
    'cache-control': `private, max-age=${DOCUMENT_LINK_TTL_SEC}`,
    'x-content-type-options': 'nosniff',
  });
  res.end(data);
}

export function documentFileRawRoutes(services: { cfg: Config; keys: KeyRing }): Record<string, RawRoute> {
  return { 'GET /files/docs/*': (req, res) => serveDocument(services, req, res) };
}
