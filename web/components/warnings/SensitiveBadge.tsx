'use client';

import { Tag, Tooltip } from 'antd';
import { useCallerContext } from '@/components/workorders/CallerOrder';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';

/** Screen-pop: 敏感客户 with the reason, when the warnings job flagged the customer (the same query as the context panel). */
export function SensitiveBadge({ customerId, phone }: { customerId: string; phone: string }) {
  const ctx = useCallerContext(customerId, phone);
  const s = ctx.data?.sensitive;
  if (!s) return null;
  return (
    <Tooltip title={t.warnings.sensitiveBadgeTip(s.reasonLabel, formatDateTime(s.since))}>
      <Tag color="volcano" data-testid="sensitive-badge">
        {t.warnings.sensitiveBadge}：{s.reasonLabel}
      </Tag>
    </Tooltip>
  );
}
