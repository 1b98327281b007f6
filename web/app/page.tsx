'use client';

import {
  ApartmentOutlined,
  AlertOutlined,
  CustomerServiceOutlined,
  MessageOutlined,
  PayCircleOutlined,
  ReadOutlined,
  RightOutlined,
  ThunderboltOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Alert, Button, Card, Col, Row } from 'antd';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Logo } from '@/components/common';
import { t } from '@/lib/i18n';

const ENTRIES: { href: string; title: string; desc: string; icon: ReactNode; color: string; testId: string }[] = [
  {
    href: '/login',
    title: t.landing.residentTitle,
    desc: t.landing.residentDesc,
    icon: <UserOutlined />,
    color: '#00706b',
    testId: 'entry-resident',
  },
  {
    href: '/login/enterprise',
    title: t.landing.enterpriseTitle,
    desc: t.landing.enterpriseDesc,
    icon: <ApartmentOutlined />,
    color: '#0b5394',
    testId: 'entry-enterprise',
  },
  {
    href: '/staff/login',
    title: t.landing.staffTitle,
    desc: t.landing.staffDesc,
    icon: <CustomerServiceOutlined />,
    color: '#3a5a70',
    testId: 'entry-staff',
  },
];

const FEATURE_ICONS = [
  <PayCircleOutlined key="pay" />,
  <AlertOutlined key="fault" />,
  <ThunderboltOutlined key="outage" />,
  <MessageOutlined key="ask" />,
];

export default function LandingPage() {
  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <header className="ps-topbar">
        <span className="ps-brand">
          <Logo />
          <span>{t.app.name}</span>
        </span>
        <span style={{ fontSize: 13, opacity: 0.9 }}>{t.app.hotline}</span>
      </header>

      <section className="ps-hero">
        <div style={{ maxWidth: 1080, margin: '0 auto' }}>
          <h1>{t.landing.heroTitle}</h1>
          <p>{t.app.slogan}</p>
          <p>{t.landing.heroDesc}</p>
          <Link href="/pay" data-testid="entry-payfor">
            <Button size="large" icon={<PayCircleOutlined />} style={{ marginTop: 8 }}>
              {t.billing.payFor}
            </Button>
          </Link>
          <Link href="/outages" data-testid="entry-outages" style={{ marginLeft: 12 }}>
            <Button size="large" icon={<ThunderboltOutlined />} style={{ marginTop: 8 }}>
              {t.outages.publicTitle}
            </Button>
          </Link>
          <Link href="/knowledge" style={{ marginLeft: 12 }}>
            <Button size="large" icon={<ReadOutlined />} style={{ marginTop: 8 }}>
              {t.portal.knowledge}
            </Button>
          </Link>
        </div>
      </section>

      <main className="ps-container ps-entries" style={{ flex: 1 }}>
        <Row gutter={[16, 16]}>
          {ENTRIES.map((e) => (
            <Col xs={24} md={8} key={e.href}>
              <Link href={e.href} data-testid={e.testId} style={{ display: 'block', height: '100%' }}>
                <Card hoverable className="ps-entry">
                  <div style={{ display: 'flex', alignItems: 'center', gap: 14 }}>
                    <span className="ps-entry-icon" style={{ background: e.color }}>
                      {e.icon}
                    </span>
                    <div style={{ flex: 1, minWidth: 0 }}>
                      <div style={{ fontSize: 17, fontWeight: 600, color: '#1f2d3a' }}>{e.title}</div>
                      <div className="ps-muted" style={{ marginTop: 4, fontSize: 13 }}>
                        {e.desc}
                      </div>
                    </div>
                    <RightOutlined style={{ color: '#b0bcc6' }} />
                  </div>
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
        {/* Enterprises without an account apply here (issue 11); the card above is for signed-up ones. */}
        <div style={{ marginTop: 12, fontSize: 14 }} className="ps-muted">
          {t.ent.apply.entryDesc} <Link href="/enterprise/apply">{t.ent.apply.entry}</Link>
        </div>

        <Card style={{ marginTop: 16 }}>
          <Row gutter={[8, 8]}>
            {t.landing.features.map((f, i) => (
              <Col xs={12} md={6} key={f.title}>
                {/* Every tile leads somewhere real (pages behind sign-in send the visitor to log in first). */}
                <Link href={f.href} style={{ display: 'block', height: '100%', color: 'inherit' }}>
                  <Card hoverable size="small" style={{ height: '100%' }}>
                    <div className="ps-feature">
                      {FEATURE_ICONS[i]}
                      <div className="ps-feature-title">{f.title}</div>
                      <div className="ps-feature-desc">{f.desc}</div>
                    </div>
                  </Card>
                </Link>
              </Col>
            ))}
          </Row>
        </Card>

        <Alert style={{ marginTop: 16 }} type="info" showIcon title={t.landing.notice} />
      </main>

      <footer className="ps-footer">{t.app.copyright}</footer>
    </div>
  );
}
