'use client';

import {
  ApartmentOutlined,
  ClockCircleOutlined,
  ClusterOutlined,
  MoneyCollectOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Space, Tag, Typography } from 'antd';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { canOpen } from '@/lib/staff-menu';
import { useMe } from '@/lib/hooks';

const A = t.admin;

type CardDef = { key: keyof typeof A.cards | 'points'; href: string; icon: ReactNode; kinds?: string[] };

const CARDS: CardDef[] = [
  { key: 'sla', href: '/staff/admin/settings/sla', icon: <ClockCircleOutlined />, kinds: ['sla', 'calendar'] },
  { key: 'tariffs', href: '/staff/admin/settings/tariffs', icon: <MoneyCollectOutlined />, kinds: ['tariffs', 'late_fees'] },
  { key: 'cluster', href: '/staff/admin/settings/cluster', icon: <ClusterOutlined />, kinds: ['cluster'] },
  { key: 'points', href: '/staff/admin/settings/points', icon: <TrophyOutlined />, kinds: ['points'] },
  { key: 'staff', href: '/staff/admin/staff', icon: <UserOutlined /> },
  { key: 'crews', href: '/staff/admin/crews', icon: <TeamOutlined /> },
  { key: 'grid', href: '/staff/admin/grid', icon: <ApartmentOutlined /> },
];

/** 系统管理: every admin screen, with the settings version in force for the versioned ones. */
export default function Page() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.settings.overview.queryOptions());
  const roles = useMe().data?.roles ?? [];
  const byKind = new Map((overview.data ?? []).map((o) => [o.kind as string, o]));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {A.title}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {A.desc}
        </Typography.Paragraph>
      </div>
      <Row gutter={[16, 16]}>
        {CARDS.filter((c) => canOpen(c.href, roles)).map((c) => {
          const card = c.key === 'points' ? t.points.settingsCard : A.cards[c.key];
          const versions = (c.kinds ?? []).map((k) => byKind.get(k)).filter((x) => !!x);
          return (
            <Col key={c.key} xs={24} md={12} xl={8}>
              <Link href={c.href} aria-label={card.title} style={{ display: 'block', height: '100%' }}>
                <Card hoverable style={{ height: '100%' }}>
                  <Card.Meta
                    avatar={<span style={{ fontSize: 28, color: '#1677ff' }}>{c.icon}</span>}
                    title={card.title}
                    description={
                      <Space orientation="vertical" size={8}>
                        <span>{card.desc}</span>
                        {versions.length > 0 && (
                          <Space size={[4, 4]} wrap>
                            {versions.map((v) => (
                              <Tag key={v.kind} color="green">
                                {v.kindLabel} · {A.inForce(v.version)}
                              </Tag>
                            ))}
                            {versions.some((v) => v.scheduledCount > 0) && (
                              <Tag color="gold">{A.scheduled(versions.reduce((n, v) => n + v.scheduledCount, 0))}</Tag>
                            )}
                          </Space>
                        )}
                      </Space>
                    }
                  />
                </Card>
              </Link>
            </Col>
          );
        })}
      </Row>
    </Space>
  );
}
