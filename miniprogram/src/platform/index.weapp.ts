import { weappPlatform } from './weapp';
import type { PlatformAdapter } from './types';

export const platform: PlatformAdapter = weappPlatform;
export * from './types';
