import { Schema, model } from 'mongoose';
import { isDuplicateKeyError } from '../db/connect';

/**
 * Leases for background work: one document per job, held by one API instance until it expires.
 * Expiry is a field checked in the query (TTL indexes never fire on the embedded server).
 */
const leaseSchema = new Schema({ _id: String, owner: { type: String, required: true }, expiresAt: { type: Date, required: true } }, { versionKey: false });
export const JobLeaseModel = model('JobLease', leaseSchema, 'job_leases');

/**
 * Takes or renews the lease: matches only if we hold it or it has expired. When it is held by someone
 * else the upsert tries to insert a second document with the same _id and fails with E11000 — so of
 * several instances exactly one gets it.
 */
export async function acquireLease(name: string, owner: string, ttlMs: number, now = new Date()): Promise<boolean> {
  try {
    const doc = await JobLeaseModel.findOneAndUpdate(
      { _id: name, $or: [{ owner }, { expiresAt: { $lte: now } }] },
      { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs) } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    return doc?.owner === owner;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** Gives the lease up at once, so another instance need not wait for it to expire. */
export async function releaseLease(name: string, owner: string): Promise<void> {
  await JobLeaseModel.updateOne({ _id: name, owner }, { $set: { expiresAt: new Date(0) } });
}
