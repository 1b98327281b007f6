import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { SigningKeyModel } from './session.model';
import type { Role, UserKind } from './user.model';

export const TOKEN_ALG = 'ES256';
export const TOKEN_AUDIENCE = 'power-api';

export interface AccessClaims {
  sub: string;
  kind: UserKind;
  roles: Role[];
  sid: string;
  ent: string | null;
  crew: string | null;
}

interface LoadedKey {
  kid: string;
  privateKey: CryptoKey | null;
  publicKey: CryptoKey;
  retired: boolean;
}

/**
 * The key set: one current signing key plus retired ones that still verify. Loaded from AUTH_JWKS
 * when configured, otherwise from the database so every API instance signs with the same keys.
 */
export class KeyRing {
  private keys = new Map<string, LoadedKey>();
  private current: LoadedKey | null = null;
  private loadedAt = 0;
  /** When an unknown kid last made us reload, and the reload in flight: one per interval, shared by all callers. */
  private lastForcedAt = -Infinity;
  private forced: Promise<void> | null = null;
  /** Key-set reads caused by unknown kids (a counter for tests and metrics). */
  forcedReloads = 0;

  /** An unknown kid reloads the key set at most this often, so tokens with random kids cannot flood the database. */
  static readonly FORCED_RELOAD_INTERVAL_MS = 15_000;

  constructor(private readonly source: { jwks?: string; forcedReloadIntervalMs?: number }) {}

  /**
   * Reload for a kid we do not know (a key added by another instance since we loaded) — throttled: within
   * the interval after the last such reload the answer is "unknown" without touching the database.
   */
  private async reloadForUnknownKid(): Promise<void> {
    if (this.forced) return this.forced;
    const interval = this.source.forcedReloadIntervalMs ?? KeyRing.FORCED_RELOAD_INTERVAL_MS;
    if (Date.now() - this.lastForcedAt < interval) return;
    this.lastForcedAt = Date.now();
    this.forcedReloads++;
    this.forced = this.load(true).finally(() => {
      this.forced = null;
    });
    return this.forced;
  }

  async load(force = false): Promise<void> {
    if (!force && this.current && Date.now() - this.loadedAt < 5 * 60_000) return;
    const entries: { kid: string; privateJwk: JWK | null; publicJwk: JWK; retired: boolean }[] = [];
    if (this.source.jwks) {
      const set = JSON.parse(this.source.jwks) as { keys: (JWK & { retired?: boolean })[] };
      for (const k of set.keys) {
        if (!k.kid) throw new Error('AUTH_JWKS: every key needs a kid');
        const { d: _d, ...pub } = k;
        entries.push({ kid: k.kid, privateJwk: k.d ? k : null, publicJwk: pub, retired: Boolean(k.retired) });
      }
    } else {
      let docs = await SigningKeyModel.find().sort({ createdAt: -1 }).lean();
      if (docs.length === 0) {
        await createBootstrapKey();
        docs = await SigningKeyModel.find().sort({ createdAt: -1 }).lean();
      }
      for (const d of docs) {
        entries.push({ kid: d._id, privateJwk: d.privateJwk as JWK, publicJwk: d.publicJwk as JWK, retired: d.retiredAt != null });
      }
    }
    const keys = new Map<string, LoadedKey>();
    let current: LoadedKey | null = null;
    for (const e of entries) {
      const loaded: LoadedKey = {
        kid: e.kid,
        privateKey: e.privateJwk ? ((await importJWK(e.privateJwk, TOKEN_ALG)) as CryptoKey) : null,
        publicKey: (await importJWK(e.publicJwk, TOKEN_ALG)) as CryptoKey,
        retired: e.retired,
      };
      keys.set(e.kid, loaded);
      if (!current && !e.retired && loaded.privateKey) current = loaded;
    }
    if (!current) throw new Error('No active signing key in the key set');
    this.keys = keys;
    this.current = current;
    this.loadedAt = Date.now();
  }

  async signAccess(claims: AccessClaims, ttlSec: number, issuer: string): Promise<string> {
    await this.load();
    const key = this.current!;
    return new SignJWT({ kind: claims.kind, roles: claims.roles, sid: claims.sid, ent: claims.ent, crew: claims.crew })
      .setProtectedHeader({ alg: TOKEN_ALG, kid: key.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(issuer)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSec}s`)
      .sign(key.privateKey!);
  }

  /** Verifies with the key named by `kid`; the algorithm is pinned, so `alg: none` or HS256 tricks fail. */
  async verifyAccess(token: string, issuer: string): Promise<AccessClaims> {
    const payload = await this.verify(token, { issuer, audience: TOKEN_AUDIENCE, requiredClaims: ['sub', 'exp', 'iat'] });
    return {
      sub: String(payload.sub),
      kind: payload.kind as UserKind,
      roles: (payload.roles as Role[]) ?? [],
      sid: String(payload.sid),
      ent: (payload.ent as string | null) ?? null,
      crew: (payload.crew as string | null) ?? null,
    };
  }

  /**
   * A short-lived token for one purpose (e.g. a file download), signed by the same key ring. Its own
   * audience keeps it from ever passing as an access token, and access tokens from passing as it.
   */
  async signScoped(
    claims: Record<string, unknown>,
    o: { audience: string; subject: string; issuer: string; ttlSec: number; nowSec?: number },
  ): Promise<string> {
    await this.load();
    const key = this.current!;
    const now = o.nowSec ?? Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: TOKEN_ALG, kid: key.kid, typ: 'JWT' })
      .setSubject(o.subject)
      .setIssuer(o.issuer)
      .setAudience(o.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + o.ttlSec)
      .sign(key.privateKey!);
  }

  async verifyScoped(token: string, o: { audience: string; issuer: string }): Promise<JWTPayload> {
    return this.verify(token, { issuer: o.issuer, audience: o.audience, requiredClaims: ['sub', 'exp', 'iat'] });
  }

  private async verify(token: string, opts: { issuer: string; audience: string; requiredClaims: string[] }): Promise<JWTPayload> {
    await this.load();
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        let key = header.kid ? this.keys.get(header.kid) : undefined;
        if (!key && header.kid) {
          await this.reloadForUnknownKid(); // a key added by another instance since we loaded (throttled)
          key = this.keys.get(header.kid);
        }
        if (!key) throw new Error('unknown kid');
        return key.publicKey;
      },
      { algorithms: [TOKEN_ALG], ...opts },
    );
    return payload;
  }
}

export async function generateSigningKey(kid = `k-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`) {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: TOKEN_ALG };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: TOKEN_ALG };
  return { kid, privateJwk, publicJwk };
}

/** Several instances may start at once: the fixed id lets exactly one bootstrap key win. */
async function createBootstrapKey(): Promise<void> {
  const k = await generateSigningKey('k-bootstrap');
  try {
    await SigningKeyModel.create({ _id: k.kid, alg: TOKEN_ALG, privateJwk: k.privateJwk, publicJwk: k.publicJwk, createdAt: new Date() });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
}

/** Rotation: new tokens are signed with the new key; older keys keep verifying until retired ones are removed. */
export async function rotateSigningKey(): Promise<string> {
  const k = await generateSigningKey();
  await SigningKeyModel.create({ _id: k.kid, alg: TOKEN_ALG, privateJwk: k.privateJwk, publicJwk: k.publicJwk, createdAt: new Date() });
  await SigningKeyModel.updateMany({ _id: { $ne: k.kid }, retiredAt: null }, { $set: { retiredAt: new Date() } });
  return k.kid;
}

export function newOpaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
