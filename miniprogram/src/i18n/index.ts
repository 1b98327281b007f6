import { zhCN } from './zh-CN';

/** Current UI strings. When English arrives, select the table here. */
export const t = zhCN;
export type { Messages } from './zh-CN';
