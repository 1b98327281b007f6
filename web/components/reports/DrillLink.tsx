'use client';

import { Button, Tooltip } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { t } from '@/lib/i18n';

/** A number that opens the orders behind it: a link-styled button (keyboard and screen readers reach it). */
export function DrillLink({ children, label, onClick, style }: { children: ReactNode; label: string; onClick: () => void; style?: CSSProperties }) {
  return (
    <Tooltip title={t.reports.clickToDrill}>
      <Button type="link" aria-label={label} onClick={onClick} style={{ padding: 0, height: 'auto', ...style }}>
        {children}
      </Button>
    </Tooltip>
  );
}
