'use client';

import { Button, Result } from 'antd';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { createContext, useContext } from 'react';
import { activeEnterpriseRoute, enterpriseMenuFor } from '@/lib/enterprise-menu';
import { t } from '@/lib/i18n';
import { roleLabel } from '@/lib/roles';

/** The signed-in enterprise user, set by CustomerGate for every portal page so PortalShell shows their menu. */
export type EnterpriseMe = { roles: readonly string[]; enterprise: { id: string; name: string; status: string } | null };
export const EnterpriseMeContext = createContext<EnterpriseMe | null>(null);

export function useEnterpriseMe(): EnterpriseMe | null {
  return useContext(EnterpriseMeContext);
}

/** The enterprise menu bar (web/lib/enterprise-menu.ts): only the entries the user's role may open. */
export function EnterpriseNav({ me }: { me: EnterpriseMe }) {
  const pathname = usePathname() ?? '/home';
  const items = enterpriseMenuFor(me.roles);
  const active = activeEnterpriseRoute(pathname);
  return (
    <nav className="ps-ent-nav" aria-label={t.ent.menu.navLabel} style={{ background: '#fff', borderBottom: '1px solid #e6ebf0' }}>
      <div className="ps-container" style={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 4, paddingTop: 6, paddingBottom: 6 }}>
        {me.enterprise && (
          <span style={{ fontWeight: 600, marginRight: 8, color: '#0b5394' }} data-testid="enterprise-nav-name">
            {me.enterprise.name}
          </span>
        )}
        {items.map((m) => (
          <Link
            key={m.route}
            href={m.route}
            aria-current={active === m.route ? 'page' : undefined}
            style={{
              padding: '4px 8px',
              borderRadius: 6,
              fontSize: 14,
              color: active === m.route ? '#fff' : '#1f2d3a',
              background: active === m.route ? '#0b5394' : 'transparent',
            }}
          >
            {m.label}
          </Link>
        ))}
      </div>
    </nav>
  );
}

/** What an enterprise role sees on a page the menu does not give it. */
export function EnterpriseRefusal({ roles }: { roles: readonly string[] }) {
  const role = roles.map(roleLabel).join('、');
  return (
    <Result
      status="403"
      title={t.ent.menu.refusedTitle}
      subTitle={t.ent.menu.refusedDesc(role)}
      extra={
        <Link href="/home">
          <Button type="primary">{t.ent.menu.backHome}</Button>
        </Link>
      }
      data-testid="enterprise-refusal"
    />
  );
}
