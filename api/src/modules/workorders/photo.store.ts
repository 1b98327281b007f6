import { createHash } from 'node:crypto';
import { Schema, model, Types } from 'mongoose';
import { DomainError } from '../../lib/errors';

/**
 * Where order photos live, behind one small interface so object storage can replace it later.
 * This one keeps each photo (≤ 5 MB) as one document: it works the same on the embedded server
 * and on a real replica set, and 5 MB sits well below MongoDB's 16 MB document limit.
 */
export interface PhotoStore {
  put(photo: { data: Buffer; mime: PhotoMime; ownerId: string }): Promise<{ id: string }>;
  get(id: string): Promise<{ data: Buffer; mime: PhotoMime; ownerId: string } | null>;
  /** Which of these ids exist and belong to this owner (orders may only attach their reporter's photos). */
  ownedBy(ids: string[], ownerId: string): Promise<string[]>;
}

export const PHOTO_MIMES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type PhotoMime = (typeof PHOTO_MIMES)[number];
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

const photoSchema = new Schema(
  {
    ownerId: { type: String, required: true },
    mime: { type: String, enum: PHOTO_MIMES, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    data: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
photoSchema.index({ ownerId: 1, createdAt: -1 });
export const PhotoModel = model('WorkOrderPhoto', photoSchema, 'photos');

export class MongoPhotoStore implements PhotoStore {
  async put(photo: { data: Buffer; mime: PhotoMime; ownerId: string }) {
    const doc = await PhotoModel.create({
      ownerId: photo.ownerId,
      mime: photo.mime,
      size: photo.data.length,
      sha256: createHash('sha256').update(photo.data).digest('hex'),
      data: photo.data,
      createdAt: new Date(),
    });
    return { id: String(doc._id) };
  }
  async get(id: string) {
    if (!Types.ObjectId.isValid(id)) return null;
    const d = await PhotoModel.findById(id).lean();
    return d ? { data: Buffer.from(d.data.buffer ?? d.data), mime: d.mime as PhotoMime, ownerId: d.ownerId } : null;
  }
  async ownedBy(ids: string[], ownerId: string) {
    const valid = ids.filter((i) => Types.ObjectId.isValid(i));
    const found = await PhotoModel.find({ _id: { $in: valid }, ownerId }, { _id: 1 }).lean();
    return found.map((f) => String(f._id));
  }
}

export const photoStore: PhotoStore = new MongoPhotoStore();

/** What the bytes are, from their magic numbers: the declared mime type is only a claim. */
export function sniffImage(buf: Buffer): PhotoMime | null {
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 12 && buf.toString('ascii', 0, 4) === 'RIFF' && buf.toString('ascii', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** A photo the rules refuse: a DomainError (BAD_REQUEST) with the reason for the person uploading it. */
const refused = (message: string) => new DomainError('BAD_REQUEST', message);

/** Decodes a `data:image/...;base64,` URL and checks it is a real image of an allowed kind and size. */
export function decodePhotoDataUrl(dataUrl: string): { data: Buffer; mime: PhotoMime } {
  const m = /^data:([\w/+.-]+);base64,([A-Za-z0-9+/=\s]+)$/.exec(dataUrl);
  if (!m) throw refused('图片格式不正确，请上传 PNG、JPEG 或 WebP 图片');
  const declared = m[1].toLowerCase() === 'image/jpg' ? 'image/jpeg' : m[1].toLowerCase();
  if (!PHOTO_MIMES.includes(declared as PhotoMime)) throw refused('仅支持 PNG、JPEG 或 WebP 图片');
  // Size check before decoding the whole thing: base64 is 4 chars per 3 bytes.
  const b64 = m[2].replace(/\s/g, '');
  if (Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0) > MAX_PHOTO_BYTES) {
    throw refused('图片不能超过5MB');
  }
  const data = Buffer.from(b64, 'base64');
  if (data.length === 0) throw refused('图片内容为空');
  if (data.length > MAX_PHOTO_BYTES) throw refused('图片不能超过5MB');
  const actual = sniffImage(data);
  if (!actual) throw refused('文件内容不是有效的图片');
  if (actual !== declared) throw refused('图片类型与内容不符');
  return { data, mime: actual };
}
