import { z } from 'zod';

/**
 * Input schemas shared by every router (one definition each, Chinese messages). Routers import from here,
 * never from each other.
 */

/** A MongoDB ObjectId as 24 hex characters. */
export const objectIdSchema = z.string({ error: '缺少编号' }).regex(/^[0-9a-f]{24}$/i, '编号格式不正确');

/** 户号: 13 digits. */
export const accountNumberSchema = z
  .string({ error: '请输入户号' })
  .trim()
  .regex(/^\d{13}$/, '户号为13位数字');

/** A mainland mobile number, 11 digits. */
export const phoneSchema = z.string({ error: '请输入手机号' }).regex(/^1[3-9]\d{9}$/, '请输入正确的11位手机号');

/** The version a client last saw (optimistic concurrency); absent means "whatever is current". */
export const versionSchema = z.number().int().min(0).optional();

/** Required free text, trimmed, with a message when empty and a length cap. */
export const textSchema = (msg: string, max = 2000) => z.string({ error: msg }).trim().min(1, msg).max(max, `内容不能超过${max}字`);

/** Optional free text (a note, a comment), trimmed and capped. */
export const noteSchema = (max = 500) => z.string().trim().max(max, `内容不能超过${max}字`).nullish();
