'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Select, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { CenterSpin } from '@/components/common';
import { Leaderboard } from '@/components/points/Leaderboard';
import { LedgerView, type LedgerData } from '@/components/points/PointsBits';
import { errorMessage } from '@/lib/errors';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const T = t.points;

function MyLedger() {
  const trpc = useTRPC();
  const mine = useQuery({ ...trpc.points.mine.queryOptions({ limit: 100 }), refetchInterval: 5000 });
  if (mine.error) return <Alert type="error" showIcon title={errorMessage(mine.error)} />;
  if (!mine.data) return <CenterSpin />;
  return <LedgerView data={mine.data as LedgerData} />;
}

function TeamLedgers() {
  const trpc = useTRPC();
  const scope = useQuery(trpc.points.scope.queryOptions());
  const [agentId, setAgentId] = useState<string | null>(null);
  const ledger = useQuery({ ...trpc.points.agent.queryOptions({ agentId: agentId ?? '', limit: 100 }), enabled: !!agentId });
  if (scope.error) return <Alert type="error" showIcon title={errorMessage(scope.error)} />;
  if (!scope.data) return <CenterSpin />;
  if (scope.data.teams.length === 0) return <Alert type="info" showIcon title={T.noScope} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Select
        showSearch
        optionFilterProp="label"
        aria-label={T.pickAgent}
        placeholder={T.pickAgent}
        style={{ width: 280 }}
        value={agentId}
        onChange={setAgentId}
        options={scope.data.teams.map((team) => ({
          label: team.name,
          title: team.name,
          options: team.agents.map((a) => ({ value: a.id, label: `${a.name}（${team.name}）` })),
        }))}
      />
      {ledger.error && <Alert type="error" showIcon title={errorMessage(ledger.error)} />}
      {agentId && (ledger.data ? <LedgerView data={ledger.data as LedgerData} /> : <CenterSpin />)}
    </Space>
  );
}

export default function PointsPage() {
  const me = useMe();
  if (!me.data) return <CenterSpin />;
  const lead = me.data.roles.some((r) => r === 'supervisor' || r === 'admin');
  const items = [
    { key: 'mine', label: T.tabMine, children: <MyLedger /> },
    { key: 'board', label: T.tabBoard, children: <Leaderboard /> },
    ...(lead ? [{ key: 'team', label: T.tabTeam, children: <TeamLedgers /> }] : []),
  ];
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {T.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{T.intro}</Typography.Paragraph>
      <Tabs defaultActiveKey={lead ? 'team' : 'mine'} items={items} />
    </Card>
  );
}
