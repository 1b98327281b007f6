import { Schema, model, Types } from 'mongoose';
import { DOC_MIMES, FILE_PURPOSES } from './file.rules';

/**
 * Uploaded documents, one MongoDB document each (≤ 10 MB, well below the 16 MB limit), so they are durable
 * the moment the upload is acknowledged and work the same on the embedded server and a replica set.
 * Object storage can replace this behind file.service.ts without its callers changing.
 */
const documentFileSchema = new Schema(
  {
    ownerId: { type: Types.ObjectId, required: true },
    purpose: { type: String, enum: FILE_PURPOSES, required: true },
    name: { type: String, required: true },
    mime: { type: String, enum: DOC_MIMES, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    data: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
documentFileSchema.index({ ownerId: 1, createdAt: -1 });
export const DocumentFileModel = model('DocumentFile', documentFileSchema, 'document_files');
