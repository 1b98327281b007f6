import { randomInt } from 'node:crypto';
import { SmsCodeModel } from './session.model';
import { sha256 } from './tokens';
import type { SmsProvider } from '../notify/sms-provider';
import { DomainError } from '../../lib/errors';

export const SMS_CODE_TTL_MS = 5 * 60_000;
export const SMS_RESEND_MS = 60_000;
export const SMS_MAX_ATTEMPTS = 5;
export type SmsPurpose = 'login' | 'bind';

// Unsigned: the SMS provider puts the one brand in front (signSms).
const TEMPLATES: Record<SmsPurpose, (code: string) => string> = {
  login: (c) => `您的登录验证码为 ${c}，5分钟内有效。请勿告诉他人。`,
  bind: (c) => `您正在绑定用电户号，验证码为 ${c}，5分钟内有效。如非本人操作请忽略。`,
};

/** Start of the current day in China (UTC+8), for the daily cap. */
function startOfChinaDay(now: Date): Date {
  const shifted = new Date(now.getTime() + 8 * 3600_000);
  shifted.setUTCHours(0, 0, 0, 0);
  return new Date(shifted.getTime() - 8 * 3600_000);
}

/** One send per 60 s per phone and purpose, a daily cap per phone; a new code voids the older ones. */
export async function sendSmsCode(
  sms: SmsProvider,
  phone: string,
  purpose: SmsPurpose,
  dailyCap: number,
  now = new Date(),
): Promise<{ retryAfterSec: number }> {
  const last = await SmsCodeModel.findOne({ phone, purpose }).sort({ createdAt: -1 }).lean();
  if (last && now.getTime() - last.createdAt.getTime() < SMS_RESEND_MS) {
    const wait = Math.ceil((SMS_RESEND_MS - (now.getTime() - last.createdAt.getTime())) / 1000);
    throw new DomainError('TOO_MANY_REQUESTS', `发送过于频繁，请${wait}秒后再试`);
  }
  const today = await SmsCodeModel.countDocuments({ phone, createdAt: { $gte: startOfChinaDay(now) } });
  if (today >= dailyCap) {
    throw new DomainError('TOO_MANY_REQUESTS', '今日验证码发送次数已达上限，请明天再试');
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await SmsCodeModel.updateMany({ phone, purpose, consumedAt: null }, { $set: { consumedAt: now } });
  await SmsCodeModel.create({
    phone,
    purpose,
    codeHash: sha256(`${phone}:${purpose}:${code}`),
    createdAt: now,
    expiresAt: new Date(now.getTime() + SMS_CODE_TTL_MS),
  });
  await sms.send(phone, `verify_${purpose}`, TEMPLATES[purpose](code));
  return { retryAfterSec: SMS_RESEND_MS / 1000 };
}

/** Single use, 5 minutes, dead after 5 wrong tries. Consumption is one guarded update. */
export async function verifySmsCode(phone: string, purpose: SmsPurpose, code: string, now = new Date()): Promise<void> {
  const doc = await SmsCodeModel.findOne({ phone, purpose, consumedAt: null }).sort({ createdAt: -1 }).lean();
  if (!doc || doc.expiresAt <= now) {
    throw new DomainError('BAD_REQUEST', '验证码已失效，请重新获取');
  }
  if (doc.attempts >= SMS_MAX_ATTEMPTS) {
    throw new DomainError('BAD_REQUEST', '验证码错误次数过多，请重新获取');
  }
  if (doc.codeHash !== sha256(`${phone}:${purpose}:${code}`)) {
    const after = await SmsCodeModel.findOneAndUpdate(
      { _id: doc._id, consumedAt: null, attempts: { $lt: SMS_MAX_ATTEMPTS } },
      { $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    ).lean();
    const left = after ? SMS_MAX_ATTEMPTS - after.attempts : 0;
    throw new DomainError('BAD_REQUEST', left > 0 ? `验证码错误，还可尝试${left}次` : '验证码错误次数过多，请重新获取');
  }
  const consumed = await SmsCodeModel.findOneAndUpdate(
    { _id: doc._id, consumedAt: null, attempts: { $lt: SMS_MAX_ATTEMPTS }, expiresAt: { $gt: now } },
    { $set: { consumedAt: now } },
  ).lean();
  if (!consumed) throw new DomainError('BAD_REQUEST', '验证码已失效，请重新获取');
}
