import type { TestProject } from 'vitest/node';
import { ensureEmbeddedMongoJar, startEmbeddedMongo } from '../db/embedded';

/** One in-memory embedded MongoDB for the whole run; each test file uses its own database on it. */
export default async function setup(project: TestProject) {
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI);
    return;
  }
  await ensureEmbeddedMongoJar();
  const mongo = await startEmbeddedMongo({ mode: 'memory', port: 0 });
  project.provide('mongoUri', mongo.uri);
  return async () => {
    await mongo.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}
