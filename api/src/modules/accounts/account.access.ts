import { Types } from 'mongoose';
import type { AccessClaims } from '../auth/tokens';
import { ENTERPRISE_ROLES, STAFF_ROLES, UserModel, type Role } from '../auth/user.model';
import { AccountModel, BindingModel, bindingLevelOf, EnterpriseModel, type Account, type BindingLevel, type Relation } from './account.model';
import { DomainError } from '../../lib/errors';

export const isStaff = (u: AccessClaims) => u.roles.some((r) => STAFF_ROLES.includes(r));
export const isEnterpriseUser = (u: AccessClaims) => u.roles.some((r) => ENTERPRISE_ROLES.includes(r));

/**
 * What a caller wants to do with an account. Each need says, in one row, which binding level a resident
 * must hold, which enterprise roles may (always within their site scope), and which staff roles may
 * (always masked; full personal data only through staff.revealAccount, audited).
 *
 * - follow (户号关注): bound by confirming the masked holder name — pay, see bills, outage notices.
 * - holder (户主): bound with the code sent to the phone on file, staff verification, or seeded —
 *   settings of the account, its payment history.
 * Orders, photos, ratings, receipts and invoices are not account rights at all: they belong to the person
 * who filed or paid them (workorder.access, payment access), so a second person on the account never sees them.
 */
export const ACCOUNT_NEEDS = {
  /** The account card, usage, outages of its area, outage subscriptions. */
  view: {
    binding: 'follow',
    enterprise: ['enterprise_admin', 'enterprise_finance', 'enterprise_electrician'],
    staff: ['agent', 'expert', 'dispatcher', 'supervisor', 'admin'],
  },
  /** Bills and prepaid balance. The power liaison sees usage, not money. */
  bills: { binding: 'follow', enterprise: ['enterprise_admin', 'enterprise_finance'], staff: ['agent', 'expert', 'supervisor', 'admin'] },
  /** Starting a payment for the account. No staff role pays for a customer. */
  pay: { binding: 'follow', enterprise: ['enterprise_admin', 'enterprise_finance'], staff: [] },
  /** Filing a fault report, question or complaint about the account (staff file for callers). */
  report: { binding: 'follow', enterprise: ['enterprise_admin', 'enterprise_electrician'], staff: ['agent', 'expert', 'supervisor', 'admin'] },
  /** Every payment made to the account (who paid stays hidden); billing staff see them for enquiries. */
  payments: { binding: 'holder', enterprise: ['enterprise_admin', 'enterprise_finance'], staff: ['agent', 'supervisor', 'admin'] },
  /** Changing the account's own settings (prepaid alert thresholds). Never staff. */
  manage: { binding: 'holder', enterprise: ['enterprise_admin'], staff: [] },
} as const satisfies Record<string, { binding: BindingLevel; enterprise: readonly Role[]; staff: readonly Role[] }>;
export type AccountNeed = keyof typeof ACCOUNT_NEEDS;

const notFound = () => new DomainError('NOT_FOUND', '户号不存在或无权访问');
const needsHolder = () => new DomainError('FORBIDDEN', '此操作需户主验证：请用户主预留手机号接收验证码完成验证');

const hasAny = (user: AccessClaims, roles: readonly Role[]) => user.roles.some((r) => roles.includes(r));

/** An enterprise user's site scope, read fresh so an admin's change takes effect on the next request. */
async function enterpriseScope(user: AccessClaims): Promise<{ enterpriseId: Types.ObjectId; sites: Types.ObjectId[] | null } | null> {
  if (!user.ent) return null;
  if (!Types.ObjectId.isValid(user.ent)) return null;
  // Until staff verify the enterprise (onboarding, modules/enterprise) its users reach no account at all.
  const [u, ent] = await Promise.all([
    UserModel.findById(user.sub, { enterpriseId: 1, siteAccountIds: 1, disabled: 1 }).lean(),
    EnterpriseModel.findById(user.ent, { verified: 1 }).lean(),
  ]);
  if (!u || u.disabled || !u.enterpriseId || String(u.enterpriseId) !== user.ent || !ent?.verified) return null;
  const sites = (u as { siteAccountIds?: Types.ObjectId[] | null }).siteAccountIds;
  return { enterpriseId: u.enterpriseId, sites: sites && sites.length ? sites : null };
}

/**
 * The query filter over accounts this caller may reach for a need — for lists; single reads use
 * loadAccessibleAccount. null means none. Staff get no list filter: they find accounts by search.
 */
export async function accountAccessFilter(user: AccessClaims, need: AccountNeed): Promise<Record<string, unknown> | null> {
  const rule = ACCOUNT_NEEDS[need];
  if (isEnterpriseUser(user)) {
    if (!hasAny(user, rule.enterprise)) return null;
    const scope = await enterpriseScope(user);
    if (!scope) return null;
    return scope.sites ? { enterpriseId: scope.enterpriseId, _id: { $in: scope.sites } } : { enterpriseId: scope.enterpriseId };
  }
  if (user.roles.includes('resident')) {
    const bindings = await BindingModel.find({ userId: new Types.ObjectId(user.sub) }, { accountId: 1, level: 1, verifiedBy: 1 }).lean();
    const ids = bindings.filter((b) => rule.binding === 'follow' || bindingLevelOf(b) === 'holder').map((b) => b.accountId);
    return ids.length ? { _id: { $in: ids } } : null;
  }
  return null;
}

/**
 * Object-level rule for one account, for one need: residents by their binding (and its level),
 * enterprise users within their enterprise, role and site scope, staff by role. Every procedure that
 * takes an account id goes through here. Someone else's account answers like an unknown one.
 */
export async function loadAccessibleAccount(
  user: AccessClaims,
  accountId: string,
  need: AccountNeed,
): Promise<{ account: Account; relation: Relation | null; level: BindingLevel | null }> {
  if (!Types.ObjectId.isValid(accountId)) throw notFound();
  const rule = ACCOUNT_NEEDS[need];
  const id = new Types.ObjectId(accountId);
  if (isStaff(user)) {
    if (!hasAny(user, rule.staff)) throw notFound();
    const account = (await AccountModel.findById(id).lean()) as Account | null;
    if (!account) throw notFound();
    return { account, relation: null, level: null };
  }
  if (isEnterpriseUser(user)) {
    if (!hasAny(user, rule.enterprise)) throw notFound();
    const [scope, account] = await Promise.all([enterpriseScope(user), AccountModel.findById(id).lean() as Promise<Account | null>]);
    if (!scope || !account || !account.enterpriseId || !account.enterpriseId.equals(scope.enterpriseId)) throw notFound();
    if (scope.sites && !scope.sites.some((s) => s.equals(account._id))) throw notFound();
    return { account, relation: 'enterprise', level: 'holder' };
  }
  if (!user.roles.includes('resident')) throw notFound();
  const [account, binding] = await Promise.all([
    AccountModel.findById(id).lean() as Promise<Account | null>,
    BindingModel.findOne({ userId: new Types.ObjectId(user.sub), accountId: id }).lean(),
  ]);
  if (!account || !binding) throw notFound(); // same answer as "no such account": ids of others reveal nothing
  const level = bindingLevelOf(binding);
  if (rule.binding === 'holder' && level !== 'holder') throw needsHolder();
  return { account, relation: binding.relation as Relation, level };
}
