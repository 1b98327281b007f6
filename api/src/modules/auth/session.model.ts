import { Schema, model, Types } from 'mongoose';

/** A login: every refresh token minted from it shares the family id, so reuse revokes them all. */
const sessionSchema = new Schema({
  _id: { type: String, required: true },
  userId: { type: Types.ObjectId, required: true },
  createdAt: { type: Date, required: true },
  lastRefreshAt: { type: Date, default: null },
  expiresAt: { type: Date, required: true },
  revokedAt: { type: Date, default: null },
  revokeReason: { type: String, default: null },
  client: { type: String, default: null },
});
sessionSchema.index({ userId: 1 });
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
export const SessionModel = model('Session', sessionSchema, 'sessions');

const refreshTokenSchema = new Schema({
  /** sha256 of the token: a database leak does not hand out sessions. */
  hash: { type: String, required: true, unique: true },
  sessionId: { type: String, required: true },
  userId: { type: Types.ObjectId, required: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  usedAt: { type: Date, default: null },
  /**
   * The pair minted when this token was used, for parallel refreshes within REFRESH_GRACE_SEC:
   * AES-256-GCM under a key derived (HKDF-SHA256) from this token itself, which is never stored, so
   * only a holder of the token can read it. Format `v1.<iv>.<ciphertext>.<tag>` (base64url).
   */
  successor: { type: String, default: null },
  successorAt: { type: Date, default: null },
});
refreshTokenSchema.index({ sessionId: 1 });
refreshTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
export const RefreshTokenModel = model('RefreshToken', refreshTokenSchema, 'refresh_tokens');

/** Token signing keys shared by every API instance (unless AUTH_JWKS is configured). */
const signingKeySchema = new Schema({
  _id: { type: String, required: true },
  alg: { type: String, required: true },
  privateJwk: { type: Object, required: true },
  publicJwk: { type: Object, required: true },
  createdAt: { type: Date, required: true },
  /** Retired keys still verify tokens until they expire, but sign nothing new. */
  retiredAt: { type: Date, default: null },
});
export const SigningKeyModel = model('SigningKey', signingKeySchema, 'signing_keys');

const smsCodeSchema = new Schema({
  phone: { type: String, required: true },
  purpose: { type: String, enum: ['login', 'bind'], required: true },
  codeHash: { type: String, required: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  attempts: { type: Number, default: 0 },
  consumedAt: { type: Date, default: null },
});
smsCodeSchema.index({ phone: 1, purpose: 1, createdAt: -1 });
export const SmsCodeModel = model('SmsCode', smsCodeSchema, 'sms_codes');
