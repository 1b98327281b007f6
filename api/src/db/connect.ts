import mongoose from 'mongoose';

// Inputs are zod-validated at every procedure, so a filter value is never an object from the wire.
mongoose.set('strictQuery', true);

export async function connectDatabase(uri: string, dbName?: string): Promise<typeof mongoose> {
  await mongoose.connect(uri, {
    dbName,
    serverSelectionTimeoutMS: 10_000,
    // The embedded server is a single node without retryable writes; real deployments set this in the URI.
    retryWrites: /retryWrites=true/.test(uri) || uri.startsWith('mongodb+srv'),
  });
  return mongoose;
}

/** Builds every index declared by the models; run at start-up and in tests. */
export async function syncAllIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.models)) {
    await model.syncIndexes();
  }
}

export async function pingDatabase(timeoutMs = 1500): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== 1) return false;
  try {
    await Promise.race([db.admin().command({ ping: 1 }), new Promise((_, reject) => setTimeout(() => reject(new Error('ping timeout')), timeoutMs))]);
    return true;
  } catch {
    return false;
  }
}

export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}
