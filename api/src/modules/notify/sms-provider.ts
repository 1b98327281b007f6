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

export class OutboxSmsProvider implements SmsProvider {
  readonly name = 'outbox';
  async send(phone: string, template: string, text: string): Promise<void> {
    await SmsOutboxModel.create({ phone, template, text, createdAt: new Date() });
  }
}
