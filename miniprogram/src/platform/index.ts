/**
 * Generic entry (typecheck, tests). Taro builds resolve `index.weapp.ts` / `index.h5.ts`
 * instead, so each bundle only carries its own platform's code.
 */
import { h5Platform } from './h5';
import { weappPlatform } from './weapp';
import type { PlatformAdapter } from './types';

export const platform: PlatformAdapter = process.env.TARO_ENV === 'h5' ? h5Platform : weappPlatform;
export * from './types';
