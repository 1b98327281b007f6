/** Static category lists per order type, shown on the customer's and the agent's forms. */
import { FAULT_KIND_LABELS, FAULT_KINDS, ORDER_TYPES, SERVICE_SUBTYPES, SUBTYPE_LABELS, TYPE_LABELS, type OrderType } from './workorder.rules';

const CATEGORIES: Record<OrderType, string[]> = {
  fault_repair: [],
  consultation: ['电费电价', '缴费方式', '业务办理', '停电信息', '用电安全', '电表与计量', '其他'],
  complaint: ['服务态度', '停电问题', '抢修质量', '电费争议', '业务办理时限', '电能质量', '其他'],
  report: ['窃电', '违约用电', '工作人员违规', '其他'],
  opinion: ['服务改进', '线上渠道', '电网建设', '其他'],
  praise: ['抢修人员', '客服坐席', '营业厅', '台区经理', '其他'],
  service_request: [],
  reconnection: ['缴费后复电', '其他'],
  return_visit: ['满意度回访', '投诉回访', '其他'],
};

export function categoryLists() {
  return ORDER_TYPES.map((type) => ({
    type,
    label: TYPE_LABELS[type],
    categories: CATEGORIES[type],
    faultKinds: type === 'fault_repair' ? FAULT_KINDS.map((k) => ({ value: k, label: FAULT_KIND_LABELS[k] })) : [],
    subtypes: type === 'service_request' ? SERVICE_SUBTYPES.map((s) => ({ value: s, label: SUBTYPE_LABELS[s] })) : [],
    /** Types a customer may file themselves (return visits are created by agents). */
    customerMayCreate: type !== 'return_visit',
  }));
}
