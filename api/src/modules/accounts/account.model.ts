import { Schema, model, type InferSchemaType, Types } from 'mongoose';

export const CUSTOMER_TIERS = ['A', 'B', 'C'] as const;
export const USAGE_CATEGORIES = ['residential', 'commercial', 'industrial'] as const;
export const PAYMENT_MODES = ['postpaid', 'prepaid'] as const;
export const SUPPLY_STATES = ['normal', 'arrears', 'disconnected'] as const;
export const RELATIONS = ['self', 'family', 'tenant', 'enterprise'] as const;
export type Relation = (typeof RELATIONS)[number];
/** follow: bound by the masked holder name (pay, bills, notices); holder: 户主, verified by the phone on file or staff. */
export const BINDING_LEVELS = ['follow', 'holder'] as const;
export type BindingLevel = (typeof BINDING_LEVELS)[number];
export const BINDING_METHODS = ['holder_name', 'sms_code', 'staff', 'seed'] as const;

const customerSchema = new Schema(
  {
    kind: { type: String, enum: ['residential', 'enterprise'], required: true },
    tier: { type: String, enum: CUSTOMER_TIERS, required: true },
    name: { type: String, required: true },
    phone: { type: String, default: null },
    idNumber: { type: String, default: null },
    enterpriseId: { type: Types.ObjectId, default: null },
    flags: {
      important: { type: Boolean, default: false },
      sensitive: { type: Boolean, default: false },
      vulnerable: { type: Boolean, default: false },
    },
    /** Turned sensitive automatically (warnings/sensitive.service.ts): since when, why, on which orders. Null: not flagged. */
    sensitive: {
      type: new Schema({ since: Date, reason: String, orderNos: [String], windowDays: Number }, { _id: false }),
      default: null,
    },
    preferredContact: { type: String, enum: ['wechat', 'sms', 'phone'], default: 'sms' },
  },
  { timestamps: true },
);
customerSchema.index({ phone: 1 });
customerSchema.index({ enterpriseId: 1 });
export const CustomerModel = model('Customer', customerSchema, 'customers');
export type Customer = InferSchemaType<typeof customerSchema> & { _id: Types.ObjectId };

const accountSchema = new Schema(
  {
    /** 用电户号: 13 digits. */
    number: { type: String, required: true, unique: true, match: /^\d{13}$/ },
    customerId: { type: Types.ObjectId, required: true },
    enterpriseId: { type: Types.ObjectId, default: null },
    holderName: { type: String, required: true },
    /** Phone on file, used for verification codes when binding. */
    phone: { type: String, default: null },
    address: { type: String, required: true },
    /** The enterprise's own name for the site (一号厂房, 仓库…); null: shown as the address's short form. */
    siteName: { type: String, default: null },
    regionId: { type: Types.ObjectId, required: true },
    feederId: { type: Types.ObjectId, required: true },
    transformerAreaId: { type: Types.ObjectId, required: true },
    transformerAreaName: { type: String, required: true },
    areaType: { type: String, enum: ['urban', 'rural', 'remote'], required: true },
    meterNumber: { type: String, required: true },
    usageCategory: { type: String, enum: USAGE_CATEGORIES, required: true },
    tariffCode: { type: String, required: true },
    paymentMode: { type: String, enum: PAYMENT_MODES, required: true },
    supplyState: { type: String, enum: SUPPLY_STATES, default: 'normal' },
    /** Smart-prepaid balance in fen (may go negative). */
    balanceFen: { type: Number, default: 0 },
    /** Unpaid postpaid bills in fen. */
    arrearsFen: { type: Number, default: 0 },
  },
  { timestamps: true },
);
accountSchema.index({ customerId: 1 });
accountSchema.index({ enterpriseId: 1, number: 1 });
accountSchema.index({ transformerAreaId: 1 });
accountSchema.index({ phone: 1 });
export const AccountModel = model('Account', accountSchema, 'accounts');
export type Account = InferSchemaType<typeof accountSchema> & { _id: Types.ObjectId };

/** A person's link to an account they may act on (本人/家属/租户). */
const bindingSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true },
    accountId: { type: Types.ObjectId, required: true },
    relation: { type: String, enum: RELATIONS, required: true },
    verifiedBy: { type: String, enum: BINDING_METHODS, required: true },
    /** Absent on bindings made before levels existed: derived from verifiedBy (bindingLevelOf). */
    level: { type: String, enum: BINDING_LEVELS },
  },
  { timestamps: true },
);
bindingSchema.index({ userId: 1, accountId: 1 }, { unique: true });
bindingSchema.index({ accountId: 1 });
export const BindingModel = model('Binding', bindingSchema, 'bindings');

/** A name-only binding follows the account; a code, staff or seed binding holds it. */
export function bindingLevelOf(b: { level?: string | null; verifiedBy?: string | null }): BindingLevel {
  if (b.level === 'holder' || b.level === 'follow') return b.level;
  return b.verifiedBy === 'holder_name' ? 'follow' : 'holder';
}

/** Failed binding verifications, counted per user, per account (across users) and per client address. */
const bindAttemptSchema = new Schema({
  userId: { type: Types.ObjectId, required: true },
  accountNumber: { type: String, required: true },
  ip: { type: String, default: null },
  at: { type: Date, required: true },
});
bindAttemptSchema.index({ userId: 1, at: -1 });
bindAttemptSchema.index({ accountNumber: 1, at: -1 });
bindAttemptSchema.index({ ip: 1, at: -1 });
export const BindAttemptModel = model('BindAttempt', bindAttemptSchema, 'bind_attempts');

const enterpriseSchema = new Schema(
  {
    name: { type: String, required: true },
    creditCode: { type: String, required: true, unique: true },
    tier: { type: String, enum: ['A', 'B'], required: true },
    verified: { type: Boolean, default: false },
    accountManagerId: { type: Types.ObjectId, default: null },
    // ---- onboarding (enterprise module): status is kept in step with `verified`, which gates account access.
    /** draft: signed up, licence not yet submitted; pending: 待审核; verified; rejected (with a reason, may resubmit). Absent on seeded ones: derived from verified. */
    status: { type: String, enum: ['draft', 'pending', 'verified', 'rejected'] },
    rejectReason: { type: String, default: null },
    contactName: { type: String, default: null },
    contactPhone: { type: String, default: null },
    licenceFileId: { type: Types.ObjectId, default: null },
    applicantUserId: { type: Types.ObjectId, default: null },
    submittedAt: { type: Date, default: null },
    reviewedAt: { type: Date, default: null },
    reviewedBy: { type: Types.ObjectId, default: null },
    /** VAT invoice title (发票抬头): 普票 title + tax id; 专票 also address/phone and bank/account. */
    invoiceTitle: {
      title: { type: String, default: null },
      taxId: { type: String, default: null },
      registeredAddress: { type: String, default: null },
      registeredPhone: { type: String, default: null },
      bankName: { type: String, default: null },
      bankAccount: { type: String, default: null },
      updatedAt: { type: Date, default: null },
    },
  },
  { timestamps: true },
);
enterpriseSchema.index({ status: 1, submittedAt: -1 });
export const EnterpriseModel = model('Enterprise', enterpriseSchema, 'enterprises');
