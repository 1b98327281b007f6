import { describe, expect, it } from 'vitest';
import {
  BILL_STATUS_LABELS,
  BINDING_LEVEL_LABELS,
  FAULT_KIND_LABELS,
  ORDER_TYPE_LABELS,
  PAYMENT_MODE_LABELS,
  PAYMENT_PURPOSE_LABELS,
  PAYMENT_STATUS_LABELS,
  RELATION_LABELS,
  SUPPLY_STATE_LABELS,
  USAGE_CATEGORY_LABELS,
} from '@power/api/labels';
import { t } from './index';

/** The mini-program shows the API's enum labels from their one source (api/src/shared/labels.ts), not a copy. */
describe('enum labels from the one source', () => {
  it('the dictionary holds the shared tables themselves', () => {
    expect(t.faultKinds).toBe(FAULT_KIND_LABELS);
    expect(t.home.relation).toBe(RELATION_LABELS);
    expect(t.home.supplyState).toBe(SUPPLY_STATE_LABELS);
    expect(t.home.paymentMode).toBe(PAYMENT_MODE_LABELS);
    expect(t.home.usageCategory).toBe(USAGE_CATEGORY_LABELS);
    expect(t.home.level).toBe(BINDING_LEVEL_LABELS);
    expect(t.billing.status).toBe(BILL_STATUS_LABELS);
    expect(t.billing.purposes).toBe(PAYMENT_PURPOSE_LABELS);
    expect(t.billing.paymentStatus).toBe(PAYMENT_STATUS_LABELS);
  });

  it('pickers offer a subset of the shared tables, in the same words', () => {
    expect(t.request.types).toEqual({
      consultation: ORDER_TYPE_LABELS.consultation,
      complaint: ORDER_TYPE_LABELS.complaint,
      report: ORDER_TYPE_LABELS.report,
      opinion: ORDER_TYPE_LABELS.opinion,
      praise: ORDER_TYPE_LABELS.praise,
    });
    expect(t.bind.relations).toEqual({ self: RELATION_LABELS.self, family: RELATION_LABELS.family, tenant: RELATION_LABELS.tenant });
    expect(t.faultKinds.whole_house_outage).toBe('整户停电');
  });
});
