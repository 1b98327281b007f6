import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { useTestDatabase } from '../../testing/harness';
import { seedDemoData } from '../../seed/generate';
import { AccountModel } from '../accounts/account.model';
import { BillModel, UsageHistoryModel } from './billing.model';
import { lastMonths, seedBilling } from './seed';

// Full size (20,000 accounts) with BILLING_SEED_ACCOUNTS=20000; 2,000 by default to keep the suite quick.
const N = Number(process.env.BILLING_SEED_ACCOUNTS ?? 2000);

beforeAll(async () => {
  await useTestDatabase();
});
afterAll(async () => {
  await mongoose.connection.db?.dropDatabase();
  await mongoose.disconnect();
});

describe('seedBilling', () => {
  it('lastMonths ends with the last complete month, across a year boundary', () => {
    expect(lastMonths(3, new Date('2026-01-15T10:00:00+08:00'))).toEqual(['2025-10', '2025-11', '2025-12']);
    expect(lastMonths(24, new Date('2026-12-01T00:30:00+08:00'))[23]).toBe('2026-11');
  });

  it(`${N} accounts: 24 months of readings and bills, fast, and a second call is a no-op`, async () => {
    const t0 = Date.now();
    await seedDemoData({ accounts: N, billing: false });
    console.log(`seedDemoData: ${Date.now() - t0} ms`);
    const t = Date.now();
    const r = await seedBilling({ log: (m) => console.log(m) });
    const ms = Date.now() - t;
    console.log(`seedBilling: ${N} accounts, ${r.skipped ? 0 : r.readings} readings, ${r.skipped ? 0 : r.bills} bills in ${ms} ms`);
    expect(r.skipped).toBe(false);
    expect(await UsageHistoryModel.estimatedDocumentCount()).toBe(await AccountModel.estimatedDocumentCount());
    const postpaid = await AccountModel.countDocuments({ paymentMode: 'postpaid' });
    expect(await BillModel.countDocuments()).toBeGreaterThanOrEqual(postpaid);
    expect(ms).toBeLessThan(N >= 20_000 ? 45_000 : 15_000);
    expect((await seedBilling({})).skipped).toBe(true);
  }, 240_000);
});
