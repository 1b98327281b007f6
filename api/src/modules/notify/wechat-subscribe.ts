import { Schema, model } from 'mongoose';

/**
 * WeChat subscribe messages (订阅消息, subscribeMessage.send). Production wires a client that calls
 * the WeChat API with the mini-program's access token; development and tests write to an outbox.
 */
export interface WechatSubscribeProvider {
  readonly name: string;
  send(openid: string, templateId: string, data: Record<string, { value: string }>, page: string | null): Promise<void>;
}

const wechatOutboxSchema = new Schema({
  openid: { type: String, required: true },
  templateId: { type: String, required: true },
  data: { type: Schema.Types.Mixed, required: true },
  page: { type: String, default: null },
  createdAt: { type: Date, required: true },
});
wechatOutboxSchema.index({ openid: 1, createdAt: -1 });
export const WechatOutboxModel = model('WechatOutbox', wechatOutboxSchema, 'wechat_outbox');

export class OutboxWechatSubscribeProvider implements WechatSubscribeProvider {
  readonly name = 'outbox';
  async send(openid: string, templateId: string, data: Record<string, { value: string }>, page: string | null): Promise<void> {
    await WechatOutboxModel.create({ openid, templateId, data, page, createdAt: new Date() });
  }
}

/** Template ids of the mini-program's outage notices (configured in the WeChat console). */
export const OUTAGE_TEMPLATE_ID = process.env.WECHAT_OUTAGE_TEMPLATE_ID ?? 'dev-outage-notice';
/** Work-order progress (受理、派单、到达、修复、答复、评价) and account notices (缴费、退款、复电、账单、余额). */
export const ORDER_TEMPLATE_ID = process.env.WECHAT_ORDER_TEMPLATE_ID ?? 'dev-order-progress';
export const ACCOUNT_TEMPLATE_ID = process.env.WECHAT_ACCOUNT_TEMPLATE_ID ?? 'dev-account-notice';

let provider: WechatSubscribeProvider = new OutboxWechatSubscribeProvider();
export const getWechatSubscribeProvider = () => provider;
/** Production start-up (or a test) plugs a real client in here. */
export const setWechatSubscribeProvider = (p: WechatSubscribeProvider) => {
  provider = p;
};
