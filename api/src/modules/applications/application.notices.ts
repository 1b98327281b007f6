/**
 * What each application step tells its applicant, through the customer notice path (notify/customer-notice.ts:
 * message centre, plus a WeChat subscribe message or an SMS). Keyed on the step's outbox effect, so telling it
 * twice (a retry) tells nobody twice. Internal notes and staff-only steps (assign) tell nobody.
 */
import { notify, tail, thing, type CustomerNoticeInput } from '../notify/customer-notice';
import { ORDER_TEMPLATE_ID } from '../notify/wechat-subscribe';
import { formatShanghaiShort } from '../workorders/customer-view.rules';
import type { AppWrite } from '../workorders/workorder.milestones';
import { DOC_LABELS, kindTitle, MILESTONE_LABELS } from './application.rules';

export const applicationLink = (id: unknown) => `/home/applications/${id}`;
export const applicationPage = (id: unknown) => `pkg-apply/tracker/index?id=${id}`;

export function applicationNotices(w: AppWrite): CustomerNoticeInput[] {
  const o = w.order;
  const app = o.application;
  if (!app || !o.reporterUserId) return [];
  const kind = kindTitle(app);
  const no = o.orderNo;
  const cur = app.milestones[app.current];
  const prev = app.milestones[app.current - 1];
  const last = [...(o.timeline ?? [])].reverse().find((t) => t.visibility === 'customer');
  let title: string;
  let body: string;
  let status: string;
  switch (w.action) {
    case 'create':
      status = '已提交';
      title = `${kind}申请已提交`;
      body = `您的${kind}申请（${no}）已提交，承诺${app.promiseWorkingDays}个工作日内办结，受理结果将及时通知您。`;
      break;
    case 'claim':
      status = '已受理';
      title = `${kind}申请已有专人办理`;
      body = `您的${kind}申请（${no}）已由业务受理员接手办理。`;
      break;
    case 'complete':
      if (app.phase === 'completed') {
        status = '已办结';
        title = `${kind}申请已办结，请评价`;
        body = `您的${kind}申请（${no}）已全部办结${app.resultAccountNumber ? `，户号${app.resultAccountNumber}` : ''}。请在“业务办理”中为本次服务评价。`;
      } else {
        status = `${MILESTONE_LABELS[cur!.key]}中`;
        title = `${kind}申请：${prev ? MILESTONE_LABELS[prev.key] : ''}已完成`;
        body = `您的${kind}申请（${no}）${prev ? MILESTONE_LABELS[prev.key] : ''}已完成，进入“${MILESTONE_LABELS[cur!.key]}”，预计${formatShanghaiShort(cur!.dueAt)}前完成。`;
      }
      break;
    case 'schedule':
      status = '已预约';
      title = `${kind}申请：已预约${MILESTONE_LABELS[cur!.key]}`;
      body = `${last?.note ?? ''}（${no}）`;
      break;
    case 'requestDocs':
      status = '待您补充资料';
      title = `${kind}申请待您补充资料`;
      body = `您的${kind}申请（${no}）需要补充：${(app.docRequest?.kinds ?? []).map((k) => DOC_LABELS[k]).join('、')}。${app.docRequest?.note ?? ''}补充前办理时限暂停计时。`;
      break;
    case 'supplyDocs':
      status = '已补充资料';
      title = `${kind}申请已恢复办理`;
      body = `已收到您补充的资料，${kind}申请（${no}）恢复办理。`;
      break;
    case 'withdraw':
      status = '已撤回';
      title = `${kind}申请已撤回`;
      body = `您的${kind}申请（${no}）已撤回。`;
      break;
    case 'refuse':
      status = '未予受理';
      title = `${kind}申请未予受理`;
      body = `您的${kind}申请（${no}）未予受理：${app.endReason ?? ''}`;
      break;
    case 'note':
      if (!last || last.action !== 'reply' || new Date(last.at).getTime() !== w.at.getTime()) return [];
      status = '有新留言';
      title = `${kind}申请有新留言`;
      body = `${no}：${last.note ?? ''}`;
      break;
    default:
      return [];
  }
  return [
    {
      key: `application:${w.effectKey}`,
      kind: `application.${w.action}`,
      title,
      body,
      smsBody: `您的${kind}申请（尾号${tail(no)}）：${status}，详情请在“业务办理”中查看。`,
      link: applicationLink(o._id),
      page: applicationPage(o._id),
      templateId: ORDER_TEMPLATE_ID,
      wechatData: {
        character_string1: { value: no },
        thing2: thing(status),
        thing3: thing(title),
        time4: { value: formatShanghaiShort(w.at) },
      },
      orderId: o._id,
      accountId: o.accountId ?? null,
      accountNumber: o.accountNumber ?? null,
      audience: { userIds: [o.reporterUserId], topic: 'service' },
      at: w.at,
    },
  ];
}

export async function sendApplicationNotices(w: AppWrite): Promise<void> {
  await notify(applicationNotices(w)).catch(() => undefined);
}
