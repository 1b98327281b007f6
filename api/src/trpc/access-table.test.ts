import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/harness';
import { UserModel, type Role } from '../modules/auth/user.model';
import { DEMO } from '../seed/generate';
import type { AccessClaims } from '../modules/auth/tokens';
import { appRouter } from './app-router';
import { ACCESS_TABLE, rolesPass, type AccessRule } from './access-table';
import type { Context } from './context';
import { AccessGateRefusal, createCallerFactory } from './trpc';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 50 });
});
afterAll(async () => {
  await api?.stop();
});

const procedurePaths = () => Object.keys(appRouter._def.procedures).sort();
const table = ACCESS_TABLE as Record<string, AccessRule>;

/** One signed-in person per role (the seeded demo users), plus nobody. */
const PERSONAS: { name: string; login: Record<string, unknown> | null }[] = [
  { name: 'anonymous', login: null },
  { name: 'resident', login: { phone: DEMO.residentPhone } },
  { name: 'enterprise_admin', login: { username: 'ent_admin' } },
  { name: 'enterprise_finance', login: { username: 'ent_finance' } },
  { name: 'enterprise_electrician', login: { username: 'ent_elec' } },
  { name: 'agent', login: { username: 'agent01' } },
  { name: 'expert', login: { username: 'expert01' } },
  { name: 'dispatcher', login: { username: 'dispatcher01' } },
  { name: 'crew', login: { username: 'crew01' } },
  { name: 'area_manager', login: { username: 'areamgr01' } },
  { name: 'supervisor', login: { username: 'supervisor01' } },
  { name: 'account_manager', login: { username: 'manager01' } },
  { name: 'admin', login: { username: 'admin01' } },
];

async function claimsOf(login: Record<string, unknown> | null): Promise<AccessClaims | null> {
  if (!login) return null;
  const u = await UserModel.findOne(login).lean();
  if (!u) throw new Error(`no demo user ${JSON.stringify(login)}`);
  return {
    sub: String(u._id),
    kind: u.kind as AccessClaims['kind'],
    roles: u.roles as Role[],
    sid: 'access-table-test',
    ent: u.enterpriseId ? String(u.enterpriseId) : null,
    crew: u.crewId ? String(u.crewId) : null,
  };
}

function callerFor(user: AccessClaims | null) {
  const req = new IncomingMessage(new Socket());
  const ctx: Context = { ...api.services, req, res: new ServerResponse(req), transport: 'bearer', ip: '127.0.0.1', user, authError: null };
  return createCallerFactory(appRouter)(ctx);
}

/** Calls a procedure by its dotted path with no input: the gate runs before input parsing, so only it can pass or refuse. */
async function callBare(caller: ReturnType<typeof callerFor>, path: string): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input?: unknown) => Promise<unknown>;
  try {
    const out = await fn(undefined);
    // A subscription hands back a stream: close it unread.
    if (out && typeof (out as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') await (out as AsyncGenerator).return?.(undefined);
    return null;
  } catch (err) {
    return err;
  }
}

const isGateRefusal = (err: unknown) => err instanceof TRPCError && err.cause instanceof AccessGateRefusal;

describe('the access table', () => {
  it('has exactly one entry for every procedure of appRouter', () => {
    const paths = procedurePaths();
    expect(paths.length).toBeGreaterThan(80);
    expect(paths.filter((p) => !table[p])).toEqual([]);
    expect(Object.keys(table).filter((p) => !paths.includes(p))).toEqual([]);
    for (const p of paths) expect(table[p].reach.length, `${p} names what it reaches`).toBeGreaterThan(0);
  });

  it('refuses a procedure whose entry is removed, even to an admin', async () => {
    const admin = callerFor(await claimsOf({ username: 'admin01' }));
    const saved = table['staff.home'];
    expect(isGateRefusal(await callBare(admin, 'staff.home'))).toBe(false);
    delete table['staff.home'];
    try {
      const err = await callBare(admin, 'staff.home');
      expect(isGateRefusal(err)).toBe(true);
      expect((err as TRPCError).code).toBe('FORBIDDEN');
    } finally {
      table['staff.home'] = saved;
    }
  });

  // Every entry against every persona: the gate lets exactly the table's roles through.
  it.each(PERSONAS.map((p) => [p.name, p] as const))('%s reaches exactly the procedures the table gives its role', async (_name, persona) => {
    const claims = await claimsOf(persona.login);
    const caller = callerFor(claims);
    const wrong: string[] = [];
    for (const path of procedurePaths()) {
      const rule = table[path];
      const allowed = rolesPass(rule, claims?.roles ?? null);
      const err = await callBare(caller, path);
      const refused = isGateRefusal(err);
      if (allowed === refused) wrong.push(`${path}: ${allowed ? 'refused' : 'let through'}`);
      if (refused) expect((err as TRPCError).code).toBe(claims ? 'FORBIDDEN' : 'UNAUTHORIZED');
    }
    expect(wrong).toEqual([]);
  });

  it('keeps money away from the roles the spec names', () => {
    const may = (path: string, role: Role) => rolesPass(table[path], [role]);
    for (const role of ['agent', 'expert', 'dispatcher', 'crew', 'area_manager', 'supervisor', 'account_manager', 'admin'] as Role[]) {
      expect(may('billing.requestInvoice', role), `${role} issues no invoice`).toBe(false);
      expect(may('billing.setAlertThresholds', role), `${role} changes no thresholds`).toBe(false);
      expect(may('billing.createPayment', role), `${role} starts no payment`).toBe(false);
    }
    for (const role of ['crew', 'area_manager', 'dispatcher'] as Role[]) {
      expect(may('billing.bills', role)).toBe(false);
      expect(may('billing.staffPayments', role)).toBe(false);
      expect(may('staff.findCustomer', role)).toBe(false);
    }
    expect(may('billing.refund', 'agent')).toBe(false);
    expect(may('billing.refund', 'supervisor')).toBe(true);
    expect(may('billing.createPayment', 'enterprise_electrician')).toBe(false);
    expect(may('billing.bills', 'enterprise_electrician')).toBe(false);
    expect(may('workorder.create', 'enterprise_electrician')).toBe(true);
  });
});
