import { h5Platform } from './h5';
import type { PlatformAdapter } from './types';

export const platform: PlatformAdapter = h5Platform;
export * from './types';
