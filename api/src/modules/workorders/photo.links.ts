/**
 * Viewing order photos: signed links to the photos a caller may see on an order (the reporter's photos and
 * the attachments of the timeline entries shown to them — customers never get an internal entry's photo),
 * and the route that serves them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../config';
import { readFileToken, refuseFile, signFileLink } from '../../http/file-links';
import type { RawRoute } from '../../http/types';
import type { AccessClaims, KeyRing } from '../auth/tokens';
import { photoStore } from './photo.store';
import { getOrder } from './workorder.service';

/** Long enough to look through an order's photos; the screen asks again when it reopens. */
export const PHOTO_LINK_TTL_SEC = 600;
const PHOTO_PATH = /^\/files\/photos\/([0-9a-f]{24})$/;

export async function orderPhotoLinks(services: { cfg: Config; keys: KeyRing }, user: AccessClaims, orderId: string) {
  const order = await getOrder(user, orderId);
  const ids = [...new Set([...order.photos, ...order.timeline.flatMap((t) => t.attachments)])];
  return Promise.all(
    ids.map(async (id) => ({
      id,
      ...(await signFileLink(services, `/files/photos/${id}`, { photo: id }, { subject: user.sub, ttlSec: PHOTO_LINK_TTL_SEC })),
    })),
  );
}

export async function servePhoto(services: { cfg: Config; keys: KeyRing }, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const id = PHOTO_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname)?.[1];
  if (!id) return refuseFile(res, 404, '文件不存在');
  if (!(await readFileToken(services, req, res, (c) => c.photo === id))) return;
  const photo = await photoStore.get(id);
  if (!photo) return refuseFile(res, 404, '照片不存在');
  res.writeHead(200, {
    'content-type': photo.mime,
    'content-length': photo.data.length,
    // The link is personal and short-lived: the browser may keep it for its lifetime, shared caches never.
    'cache-control': `private, max-age=${PHOTO_LINK_TTL_SEC}`,
    'x-content-type-options': 'nosniff',
  });
  res.end(photo.data);
}

export function photoRawRoutes(services: { cfg: Config; keys: KeyRing }): Record<string, RawRoute> {
  return { 'GET /files/photos/*': (req, res) => servePhoto(services, req, res) };
}
