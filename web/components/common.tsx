'use client';

import { ThunderboltFilled } from '@ant-design/icons';
import { Button, Empty, Result, Spin, Tag } from 'antd';
import Link from 'next/link';
import { t } from '@/lib/i18n';

export function CenterSpin({ tip }: { tip?: string }) {
  return (
    <div className="ps-center">
      <Spin size="large" description={tip ?? t.app.loading}>
        <div style={{ width: 160, height: 80 }} />
      </Spin>
    </div>
  );
}

export function Forbidden({ desc, homeHref = '/' }: { desc?: string; homeHref?: string }) {
  return (
    <Result
      status="403"
      title={t.app.forbiddenTitle}
      subTitle={desc ?? t.app.forbiddenDesc}
      extra={
        <Link href={homeHref}>
          <Button type="primary">{t.app.backHome}</Button>
        </Link>
      }
      data-testid="forbidden"
    />
  );
}

export function UnderConstruction({ title }: { title: string }) {
  return (
    <div style={{ background: '#fff', padding: 48, borderRadius: 8 }} data-testid="under-construction">
      <Empty
        description={
          <div>
            <div style={{ fontSize: 16, fontWeight: 600, marginBottom: 4 }}>
              {title} · {t.app.underConstruction}
            </div>
            <div className="ps-muted">{t.app.underConstructionDesc}</div>
          </div>
        }
      />
    </div>
  );
}

const SUPPLY_COLOR: Record<string, string> = { normal: 'green', arrears: 'orange', disconnected: 'red' };

export function SupplyStateTag({ state }: { state: string }) {
  return (
    <Tag color={SUPPLY_COLOR[state] ?? 'default'} data-testid="supply-state">
      {t.enums.supplyState[state] ?? state}
    </Tag>
  );
}

export function Logo() {
  return (
    <span className="ps-logo" aria-hidden>
      <ThunderboltFilled />
    </span>
  );
}
