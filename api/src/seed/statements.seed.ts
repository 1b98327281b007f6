/**
 * Demo data of the statements lane: one site of the demo enterprise whose latest month jumps (用电分析
 * flags it). The month's reading, its charge and its bill are changed together so the statement still
 * adds up. Runs after the billing seed; idempotent (a site already jumping is left as it is).
 */
import { DEMO } from './generate';
import { AccountModel, EnterpriseModel } from '../modules/accounts/account.model';
import { BillModel, UsageHistoryModel } from '../modules/billing/billing.model';
import { computeCharge } from '../modules/billing/tariff.rules';
import { ensureSettingVersions, tariffOf } from '../modules/settings/settings.service';
import { judgeJump } from '../modules/statements/usage.rules';

/** The latest month of this site is planted at 2.3× the same month a year before. */
export const JUMP_FACTOR = 2.3;

export async function seedStatementsDemo(opts: { log?: (msg: string) => void } = {}) {
  const ent = await EnterpriseModel.findOne({ name: DEMO.enterpriseName }, { _id: 1 }).lean();
  if (!ent) return;
  const accounts = await AccountModel.find({ enterpriseId: ent._id, paymentMode: 'postpaid', supplyState: 'normal' }).sort({ number: 1 }).lean();
  const site = accounts.find((a) => a.tariffCode === 'IND-TOU') ?? accounts[0];
  if (!site) return;
  const h = await UsageHistoryModel.findById(site._id).lean();
  const months = [...(h?.months ?? [])].sort((a, b) => (a.period! < b.period! ? -1 : 1));
  if (months.length < 13) return;
  if (judgeJump(months.map((m) => ({ period: m.period!, kwh: m.kwh ?? 0 })))?.flagged) return;
  const last = months[months.length - 1]!;
  const kwh = Math.round((months[months.length - 13]!.kwh ?? 0) * JUMP_FACTOR);
  await ensureSettingVersions([{ kind: 'tariffs', version: last.tariffVersion ?? null }]);
  const tariff = tariffOf(site.tariffCode, last.tariffVersion ?? null);
  let bands: { peak: number; flat: number; valley: number } | null = null;
  if (tariff.kind === 'tou') {
    const peak = Math.round(kwh * 0.38);
    const valley = Math.round(kwh * 0.22);
    bands = { peak, flat: kwh - peak - valley, valley };
  }
  const charge = bands ? computeCharge(tariff, { bands }) : computeCharge(tariff, { kwh, ytdKwh: last.ytdKwhBefore ?? 0 });
  await UsageHistoryModel.updateOne(
    { _id: site._id, 'months.period': last.period },
    {
      $set: {
        'months.$.kwh': charge.kwh,
        'months.$.bands': bands,
        'months.$.endIndex': (last.startIndex ?? 0) + charge.kwh,
        'months.$.amountFen': charge.amountFen,
      },
    },
  );
  const bill = await BillModel.findOneAndUpdate(
    { accountId: site._id, period: last.period },
    { $set: { kwh: charge.kwh, bands, totalMilliFen: charge.totalMilliFen, amountFen: charge.amountFen } },
  ).lean();
  if (bill?.status === 'unpaid') await AccountModel.updateOne({ _id: site._id }, { $inc: { arrearsFen: charge.amountFen - bill.amountFen } });
  opts.log?.(`statements: site ${site.number} planted with a usage jump in ${last.period} (${charge.kwh} kWh)`);
}
