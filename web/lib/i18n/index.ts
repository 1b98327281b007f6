import { zhCN } from './zh-CN';

/** Current dictionary. Swap here (or make it locale-aware) when English is added. */
export const t = zhCN;
export type { Dictionary } from './zh-CN';
