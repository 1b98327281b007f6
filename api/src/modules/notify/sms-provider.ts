import { Schema, model } from 'mongoose';

/** Where SMS goes. Production wires a gateway; development and tests read the outbox. */
export interface SmsProvider {
  readonly name: string;
  send(phone: string, template: string, text: string): Promise<void>;
}

const smsOutboxSchema = new Schema({
  phone: { type: String, required: true },
  template: { type: String, required: true },
  text: { type: String, required: true },
  createdAt: { type: Date, required: true },
});
smsOutboxSchema.index({ phone: 1, createdAt: -1 });
export const SmsOutboxModel = model('SmsOutbox', smsOutboxSchema, 'sms_outbox');

/**
 * One brand on every SMS: the supplier's own name (the invoice seller, config INVOICE_SELLER_NAME, default
 * 示范市供电有限公司), or SMS_SIGNATURE where the carrier registered a shorter signature.
 */
export function smsBrand(env: NodeJS.ProcessEnv = process.env): string {
  return (env.SMS_SIGNATURE ?? env.INVOICE_SELLER_NAME ?? '').trim() || '示范市供电有限公司';
}

/** The text as sent: whatever signature a sender put first is replaced by the one brand. */
export function signSms(text: string, brand = smsBrand()): string {
  return `【${brand}】${text.replace(/^\s*【[^】]{1,30}】\s*/, '')}`;
}

export class OutboxSmsProvider implements SmsProvider {
  readonly name = 'outbox';
  async send(phone: string, template: string, text: string): Promise<void> {
    await SmsOutboxModel.create({ phone, template, text: signSms(text), createdAt: new Date() });
  }
}
