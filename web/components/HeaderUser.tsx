'use client';

import { LogoutOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import type { Me } from '@/components/CustomerGate';
import { useLogout } from '@/lib/hooks';
import { t } from '@/lib/i18n';

export function HeaderUser({ me }: { me: Me }) {
  const logout = useLogout(me.kind === 'enterprise' ? '/login/enterprise' : '/login');
  return (
    <>
      <span style={{ color: '#fff', fontSize: 13, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} data-testid="display-name">
        {me.displayName}
      </span>
      <Button size="small" ghost icon={<LogoutOutlined />} onClick={() => logout.mutate()} loading={logout.isPending} data-testid="logout">
        <span className="ps-hide-xs">{t.app.logout}</span>
      </Button>
    </>
  );
}
