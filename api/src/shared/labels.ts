/**
 * 枚举的中文名称 — the one source of the Chinese label of every enum value the API and both apps show:
 * fault kinds, order types and statuses, channels, outage kinds and phases, roles, account, bill and payment
 * states, … The API imports it, the web portal and the mini-program import it as `@power/api/labels`.
 *
 * Dependency-free and pure (no imports, no Node or browser API), so every bundler can compile it: Next.js,
 * Taro's webpack (weapp and H5) and vitest. Keys are the enum values the API stores; each table is checked
 * against the API's own enum lists in labels.test.ts, and the apps' sources are checked for copies there too.
 *
 * Wording: one label per value, in the domain's words (SPEC §2, the 95598 classification, State Grid usage):
 * e.g. 整户停电 (not 家中无电), 智能交费 (not 预付费), 电表故障.
 */

// ---------------------------------------------------------------------------------------------
// Work orders

export const ORDER_TYPE_LABELS = {
  fault_repair: '故障报修',
  consultation: '咨询',
  complaint: '投诉',
  report: '举报',
  opinion: '意见建议',
  praise: '表扬',
  service_request: '业务申请',
  reconnection: '复电',
  return_visit: '回访',
} as const;

export const SERVICE_SUBTYPE_LABELS = {
  new_connection: '新装',
  capacity_change: '增容/减容',
  meter_check: '校表',
  name_change: '过户',
} as const;

/** The kinds of fault a customer reports (SPEC 3.2). */
export const FAULT_KIND_LABELS = {
  whole_house_outage: '整户停电',
  area_outage: '片区停电',
  flicker: '电压不稳/闪烁',
  sparking: '打火冒烟等危险',
  fallen_wire: '电线断落',
  meter_problem: '电表故障',
} as const;

/** Order statuses as staff read them (customers read plain words: customer-view.rules.ts). */
export const ORDER_STATUS_LABELS = {
  reported: '待派单',
  dispatched: '已派单',
  accepted: '已受理',
  arrived: '已到达现场',
  received: '待受理',
  replied: '已答复',
  processing: '处理中',
  resolved: '已处理',
  visited: '已回访',
  closed: '已关闭',
} as const;

/** Order statuses in the customer's words (customer-view.rules.ts): a fault report, a 复电 order, the other (desk) orders. */
export const CUSTOMER_FAULT_STATUS_LABELS = {
  reported: '已受理',
  dispatched: '抢修人员已出发',
  accepted: '抢修人员已出发',
  arrived: '已到达现场',
  resolved: '已修复',
  visited: '已评价',
  closed: '已完成',
} as const;
export const CUSTOMER_RECONNECTION_STATUS_LABELS = {
  received: '复电中',
  accepted: '复电中',
  replied: '复电中',
  processing: '复电中',
  resolved: '已复电',
  visited: '已复电',
  closed: '已复电',
} as const;
export const CUSTOMER_DESK_STATUS_LABELS = {
  received: '已提交',
  accepted: '已受理',
  replied: '已答复',
  processing: '处理中',
  resolved: '已办结',
  visited: '已评价',
  closed: '已完成',
} as const;

export const PRIORITY_LABELS = { urgent: '紧急', high: '高', medium: '中', low: '低' } as const;

/** Where an order came from. */
export const CHANNEL_LABELS = { miniprogram: '微信小程序', web: '网上营业厅', phone: '95598电话', staff: '现场/系统' } as const;

/** The deadline an open order runs against (its countdown). */
export const DEADLINE_KIND_LABELS = {
  dispatch: '派单时限',
  arrival: '到达现场时限',
  restoration: '恢复送电时限',
  first_reply: '首次响应时限',
  answer: '答复时限',
  contact: '联系客户时限',
  reply: '处理答复时限',
  completion: '办结时限',
  reconnect: '复电时限',
  return_visit: '回访时限',
  visit: '回访时限',
} as const;

/** Reason codes that close a report instead of letting its clock run out (SPEC 3.2). */
export const CLOSE_REASON_LABELS = { customer_internal_fault: '客户内部故障', arrears_outage: '欠费停电' } as const;

// ---------------------------------------------------------------------------------------------
// Outages

export const OUTAGE_KIND_LABELS = { planned: '计划停电', temporary: '临时检修', fault: '故障停电' } as const;
export const OUTAGE_PHASE_LABELS = { upcoming: '即将停电', active: '停电中', restored: '已恢复送电', cancelled: '已取消' } as const;
export const OUTAGE_STATUS_LABELS = { published: '已发布', restored: '已恢复', cancelled: '已取消' } as const;

// ---------------------------------------------------------------------------------------------
// People, accounts and the grid

/** Every role a user (or the system) acts in. */
export const ROLE_LABELS = {
  resident: '居民用户',
  enterprise_admin: '企业管理员',
  enterprise_finance: '企业财务',
  enterprise_electrician: '电力信息员',
  agent: '坐席',
  expert: '专家座席',
  dispatcher: '配抢指挥',
  crew: '抢修人员',
  area_manager: '台区经理',
  supervisor: '值班长',
  account_manager: '客户经理',
  admin: '系统管理员',
  /** On an order's timeline: a resident or enterprise user acting on their own order, and the system itself. */
  customer: '客户',
  system: '系统',
} as const;

export const USER_KIND_LABELS = { wechat: '微信用户', web: '网页用户', enterprise: '企业用户', staff: '员工' } as const;
export const CUSTOMER_TIER_LABELS = { A: 'A类客户', B: 'B类客户', C: 'C类客户' } as const;
export const RELATION_LABELS = { self: '本人', family: '家属', tenant: '租户', enterprise: '企业' } as const;
/** 户主 (verified by the code to the phone on file, or by staff) or following by the masked holder name. */
export const BINDING_LEVEL_LABELS = { holder: '户主', follow: '户名关注' } as const;
export const SUPPLY_STATE_LABELS = { normal: '正常', arrears: '欠费', disconnected: '欠费停电' } as const;
export const PAYMENT_MODE_LABELS = { postpaid: '后付费', prepaid: '智能交费' } as const;
export const USAGE_CATEGORY_LABELS = { residential: '居民生活用电', commercial: '一般工商业用电', industrial: '大工业用电' } as const;
export const AREA_TYPE_LABELS = { urban: '城区', rural: '农村', remote: '偏远地区' } as const;
export const SUPPLY_CLASS_LABELS = { residential: '居民', lv_non_residential: '低压非居民', hv_single: '高压单电源', hv_dual: '高压双电源' } as const;
export const GRID_KIND_LABELS = { region: '供电区域', substation: '变电站', feeder: '线路', transformer_area: '台区' } as const;

// Service applications (业扩报装 and other business, applications module)
export const APPLICATION_KIND_LABELS = { new_connection: '新装', capacity_change: '增容/减容', meter_check: '校表', name_change: '过户' } as const;
export const CAPACITY_DIRECTION_LABELS = { increase: '增容', decrease: '减容' } as const;
export const APPLICATION_MILESTONE_LABELS = {
  accept: '受理',
  survey: '现场勘查',
  plan: '答复供电方案',
  design: '设计审查',
  mid_check: '中间检查',
  completion: '竣工检验',
  install: '装表接电',
  meter_test: '现场校验',
  result: '答复校验结果',
  review: '资料审核',
  transfer: '变更户名',
} as const;
export const APPLICATION_DOC_LABELS = {
  id_card: '身份证',
  property: '房产证明或租赁合同',
  licence: '营业执照',
  authorisation: '授权委托书',
  other: '其他材料',
} as const;
export const APPLICATION_PHASE_LABELS = {
  in_progress: '办理中',
  waiting_customer: '待您补充资料',
  completed: '已办结',
  withdrawn: '已撤回',
  refused: '未予受理',
} as const;
export const APPLICATION_TURN_LABELS = { utility: '供电公司', customer: '您' } as const;

// ---------------------------------------------------------------------------------------------
// Bills and payments

/** A bill line's tariff band: residential annual tiers, time-of-use bands, or one flat price. */
export const TARIFF_BAND_LABELS = {
  tier1: '第一档',
  tier2: '第二档',
  tier3: '第三档',
  peak: '峰',
  flat: '平',
  valley: '谷',
  single: '单一电价',
} as const;
export const BILL_STATUS_LABELS = { unpaid: '待缴', overdue: '已逾期', paid: '已缴清' } as const;
export const PAYMENT_STATUS_LABELS = { created: '待支付', paying: '待支付', paid: '支付成功', closed: '已关闭', refunded: '已退款' } as const;
export const PAYMENT_PURPOSE_LABELS = { bill: '电费缴纳', recharge: '智能交费充值', batch: '合并缴费' } as const;
export const PAY_CHANNEL_LABELS = { native: '微信扫码', jsapi: '微信小程序' } as const;
export const PAYMENT_FLAG_LABELS = { double_payment: '重复缴费', amount_mismatch: '金额不符', batch_partial_refund: '合并缴费部分退款' } as const;
/** 合并缴费: what became of each bill of the order. */
export const BATCH_LINE_OUTCOME_LABELS = { settled: '已结清', refunded: '他人已缴，已退款' } as const;
export const INVOICE_TITLE_TYPE_LABELS = { personal: '个人', company: '单位' } as const;
/** Enterprise VAT invoices (statements module). */
export const VAT_INVOICE_KIND_LABELS = { normal: '增值税普通发票', special: '增值税专用发票' } as const;
/** Enterprise onboarding (modules/enterprise): application status, account-join requests, colleague invitations. */
export const ENTERPRISE_STATUS_LABELS = { draft: '待提交资料', pending: '待审核', verified: '已认证', rejected: '未通过' } as const;
export const JOIN_REQUEST_STATUS_LABELS = { pending: '待确认', approved: '已加入', rejected: '已驳回' } as const;
export const INVITE_STATUS_LABELS = { pending: '待接受', accepted: '已加入', cancelled: '已撤销' } as const;

// ---------------------------------------------------------------------------------------------
// Knowledge base (issue 13)

export const KB_ARTICLE_STATE_LABELS = { draft: '草稿', published: '已发布', archived: '已归档' } as const;
export const KB_REVISION_STATE_LABELS = { editing: '编辑中', review: '待审核' } as const;
export const KB_HISTORY_ACTION_LABELS = {
  created: '新建草稿',
  edited: '编辑修订',
  submitted: '提交审核',
  approved: '审核通过并发布',
  rejected: '退回修改',
  archived: '归档',
  restored: '恢复发布',
  discarded: '放弃修订',
} as const;
/** Where a customer saw an article (deflection counts the two forms). */
export const KB_VIEW_SOURCE_LABELS = {
  consultation: '咨询表单',
  fault: '报修表单',
  portal: '知识库页面',
  miniprogram: '小程序知识库',
  agent: '坐席',
} as const;
/** 规范用语 scenarios. */
export const KB_PHRASE_SCENARIO_LABELS = { greeting: '问候', apology: '致歉', waiting: '请稍候', closing: '结束语', outage: '停电解释' } as const;

// ---------------------------------------------------------------------------------------------
// Quality, points, early warning (issue 14)

/** 班组的专业 (staff/team.model.ts TEAM_PROFESSIONS): what 跨专业大排名 ranks across. */
export const TEAM_PROFESSION_LABELS = { hotline: '95598热线', business: '业务受理', repair: '抢修' } as const;
// quality-lane labels (metrics, dimensions) below this line
/** 质量报表的指标 (quality/metrics.registry.ts). */
export const METRIC_LABELS = {
  on_time: '及时率',
  aht: '平均处理时长',
  fcr: '一次解决率',
  satisfaction: '满意率',
  response_rate: '回访响应率',
  complaint_rate: '万户投诉率',
  reopen_rate: '重复处理率',
  merge_rate: '故障合并率',
  deflection_rate: '自助分流率',
  volume: '工单量',
} as const;
/** 及时率的口径: overall, per SLA kind, per application milestone and per application. */
export const ON_TIME_KIND_LABELS = {
  all: '整体及时率',
  dispatch: '5分钟派单及时率',
  arrival: '到达现场及时率',
  restoration: '恢复送电及时率',
  first_reply: '30分钟首次响应及时率',
  answer: '2小时答复及时率',
  contact: '投诉联系及时率',
  reply: '处理答复及时率',
  completion: '办结及时率',
  reconnect: '复电及时率',
  return_visit: '回访及时率',
  visit: '回访工单及时率',
  milestone: '业扩环节及时率',
  application: '业务申请整体及时率',
} as const;
/** Drill-down parts and table headings. */
export const DRILL_PART_LABELS = { numerator: '分子', denominator: '分母' } as const;
// points-lane labels (ledger reasons, quality-check items) below this line
/** 积分台账 (points module): what earned or cost an entry. */
export const POINTS_RULE_LABELS = {
  handled: '处理工单',
  aht_bonus: '处理时长优于中位数',
  aht_penalty: '处理时长远超中位数',
  on_time: '按时完成',
  late: '超时',
  satisfied: '客户满意',
  dissatisfied: '客户不满意',
  qc_error: '质检差错',
  reopen: '7日内重开',
} as const;
/** 质检 checklist (points module quality checks). */
export const QC_ITEM_LABELS = {
  standard_phrases: '规范用语使用',
  classification: '分类正确',
  complete_info: '信息完整',
  accurate_answer: '答复准确',
  timely: '处理及时',
} as const;
/** 积分排行的统计区间. */
export const POINTS_PERIOD_LABELS = { month: '月度', quarter: '季度', all: '累计' } as const;
// warnings-lane labels (warning kinds, 督办 states) below this line
/** 预警看板 (warnings module): what rose above its usual level, and where. */
export const ANOMALY_METRIC_LABELS = { fault: '故障报修', complaint: '投诉' } as const;
/** Which control limit fired: exact Poisson quantile of the day's count, or the EWMA of the last days. */
export const ANOMALY_METHOD_LABELS = { poisson: '泊松控制限', ewma: 'EWMA控制限' } as const;
/** Why a customer turned sensitive (敏感客户). */
export const SENSITIVE_REASON_LABELS = { complaints_12m: '12个月内投诉2次及以上', repeat_contacts_7d: '7天内重复来电3次及以上' } as const;
/** 督办 items: 待处理 → 已签收 → 已办结 (automatically when the order is resolved or closed). */
export const SUPERVISION_STATE_LABELS = { open: '待处理', acknowledged: '已签收', resolved: '已办结' } as const;
/** Where a 督办 item came from. */
export const SUPERVISION_SOURCE_LABELS = { sla: '超时自动督办', manual: '人工督办' } as const;

// ---------------------------------------------------------------------------------------------
/** Every table, by name (for tests and for screens that list an enum). */
export const LABELS = {
  orderType: ORDER_TYPE_LABELS,
  serviceSubtype: SERVICE_SUBTYPE_LABELS,
  faultKind: FAULT_KIND_LABELS,
  orderStatus: ORDER_STATUS_LABELS,
  customerFaultStatus: CUSTOMER_FAULT_STATUS_LABELS,
  customerReconnectionStatus: CUSTOMER_RECONNECTION_STATUS_LABELS,
  customerDeskStatus: CUSTOMER_DESK_STATUS_LABELS,
  priority: PRIORITY_LABELS,
  channel: CHANNEL_LABELS,
  deadlineKind: DEADLINE_KIND_LABELS,
  closeReason: CLOSE_REASON_LABELS,
  outageKind: OUTAGE_KIND_LABELS,
  outagePhase: OUTAGE_PHASE_LABELS,
  outageStatus: OUTAGE_STATUS_LABELS,
  role: ROLE_LABELS,
  userKind: USER_KIND_LABELS,
  customerTier: CUSTOMER_TIER_LABELS,
  relation: RELATION_LABELS,
  bindingLevel: BINDING_LEVEL_LABELS,
  supplyState: SUPPLY_STATE_LABELS,
  paymentMode: PAYMENT_MODE_LABELS,
  usageCategory: USAGE_CATEGORY_LABELS,
  areaType: AREA_TYPE_LABELS,
  supplyClass: SUPPLY_CLASS_LABELS,
  gridKind: GRID_KIND_LABELS,
  tariffBand: TARIFF_BAND_LABELS,
  billStatus: BILL_STATUS_LABELS,
  paymentStatus: PAYMENT_STATUS_LABELS,
  paymentPurpose: PAYMENT_PURPOSE_LABELS,
  payChannel: PAY_CHANNEL_LABELS,
  paymentFlag: PAYMENT_FLAG_LABELS,
  batchLineOutcome: BATCH_LINE_OUTCOME_LABELS,
  invoiceTitleType: INVOICE_TITLE_TYPE_LABELS,
  vatInvoiceKind: VAT_INVOICE_KIND_LABELS,
  enterpriseStatus: ENTERPRISE_STATUS_LABELS,
  joinRequestStatus: JOIN_REQUEST_STATUS_LABELS,
  inviteStatus: INVITE_STATUS_LABELS,
  kbArticleState: KB_ARTICLE_STATE_LABELS,
  kbRevisionState: KB_REVISION_STATE_LABELS,
  kbHistoryAction: KB_HISTORY_ACTION_LABELS,
  kbViewSource: KB_VIEW_SOURCE_LABELS,
  kbPhraseScenario: KB_PHRASE_SCENARIO_LABELS,
  teamProfession: TEAM_PROFESSION_LABELS,
  pointsRule: POINTS_RULE_LABELS,
  qcItem: QC_ITEM_LABELS,
  pointsPeriod: POINTS_PERIOD_LABELS,
  anomalyMetric: ANOMALY_METRIC_LABELS,
  anomalyMethod: ANOMALY_METHOD_LABELS,
  sensitiveReason: SENSITIVE_REASON_LABELS,
  supervisionState: SUPERVISION_STATE_LABELS,
  supervisionSource: SUPERVISION_SOURCE_LABELS,
  metric: METRIC_LABELS,
  onTimeKind: ON_TIME_KIND_LABELS,
  drillPart: DRILL_PART_LABELS,
} as const;

/** The label of `value` in `table`, or the fallback (never the raw value on screen). */
export function labelOf<T extends Record<string, string>>(table: T, value: string | null | undefined, fallback = ''): string {
  return value != null && Object.hasOwn(table, value) ? table[value as keyof T] : fallback;
}

/** `[{ value, label }]` of some values of a table, in the order given (pickers, radio groups). */
export function optionsOf<T extends Record<string, string>, K extends keyof T & string>(table: T, values: readonly K[]): { value: K; label: T[K] }[] {
  return values.map((value) => ({ value, label: table[value] }));
}

/** Some entries of a table (e.g. the order types a customer files from the request form). */
export function pickLabels<T extends Record<string, string>, K extends keyof T & string>(table: T, values: readonly K[]): Pick<T, K> {
  return Object.fromEntries(values.map((v) => [v, table[v]])) as Pick<T, K>;
}
