'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Segmented, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { POINTS_PERIOD_LABELS } from '@power/api/labels';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const T = t.points;
type Period = 'month' | 'quarter' | 'all';

interface AgentRow {
  agentId: string;
  rank: number;
  name: string;
  teamId: string | null;
  teamName: string;
  professionLabel: string;
  points: number;
  isMe: boolean;
}
interface TeamRow {
  teamId: string;
  rank: number;
  name: string;
  professionLabel: string;
  points: number;
  members: number;
  average: number;
  mine: boolean;
}

export function Leaderboard() {
  const trpc = useTRPC();
  const [period, setPeriod] = useState<Period>('month');
  const [view, setView] = useState<'all' | 'teams'>('all');
  const [team, setTeam] = useState<string | null>(null);
  const board = useQuery(trpc.points.leaderboard.queryOptions({ period }));
  const agents = (board.data?.agents ?? []) as AgentRow[];
  const shown = team ? agents.filter((a) => a.teamId === team) : agents;

  const agentCols: ColumnsType<AgentRow> = [
    { title: T.rank, key: 'rank', width: 70, render: (_, r) => r.rank },
    {
      title: T.agent,
      key: 'name',
      render: (_, r) => (
        <Space>
          {r.name}
          {r.isMe && <Tag color="blue">{T.me}</Tag>}
        </Space>
      ),
    },
    { title: T.team, key: 'team', render: (_, r) => r.teamName },
    { title: T.profession, key: 'prof', width: 110, render: (_, r) => r.professionLabel || '—' },
    { title: T.points, key: 'p', width: 90, align: 'right', render: (_, r) => r.points },
  ];
  const teamCols: ColumnsType<TeamRow> = [
    { title: T.rank, key: 'rank', width: 70, render: (_, r) => r.rank },
    {
      title: T.team,
      key: 'name',
      render: (_, r) => (
        <Space>
          {r.name}
          {r.mine && <Tag color="blue">{T.me}</Tag>}
        </Space>
      ),
    },
    { title: T.profession, key: 'prof', width: 110, render: (_, r) => r.professionLabel || '—' },
    { title: T.members, key: 'm', width: 80, align: 'right', render: (_, r) => r.members },
    { title: T.average, key: 'avg', width: 100, align: 'right', render: (_, r) => r.average },
    { title: T.teamTotal, key: 'p', width: 110, align: 'right', render: (_, r) => r.points },
  ];

  return (
    <Card
      size="small"
      title={board.data ? `${T.tabBoard} · ${board.data.label}` : T.tabBoard}
      extra={
        <Space wrap>
          <Segmented<Period>
            aria-label={T.period}
            value={period}
            onChange={setPeriod}
            options={(['month', 'quarter', 'all'] as const).map((p) => ({ value: p, label: POINTS_PERIOD_LABELS[p] }))}
          />
          <Segmented<'all' | 'teams'>
            value={view}
            onChange={setView}
            options={[
              { value: 'all', label: T.scopeAll },
              { value: 'teams', label: T.scopeTeams },
            ]}
          />
          {view === 'all' && (
            <Select
              allowClear
              aria-label={T.team}
              placeholder={T.team}
              style={{ width: 160 }}
              value={team}
              onChange={(v) => setTeam(v ?? null)}
              options={((board.data?.teams ?? []) as TeamRow[]).map((x) => ({ value: x.teamId, label: x.name }))}
            />
          )}
        </Space>
      }
    >
      {board.error && <Alert type="error" showIcon title={errorMessage(board.error)} />}
      {view === 'all' ? (
        <Table<AgentRow>
          size="small"
          rowKey="agentId"
          loading={board.isPending}
          columns={agentCols}
          dataSource={shown}
          rowClassName={(r) => (r.isMe ? 'ps-row-me' : '')}
          onRow={(r) =>
            ({ style: r.isMe ? { background: '#e6f4ff', fontWeight: 600 } : undefined, 'aria-current': r.isMe ? 'true' : undefined }) as never
          }
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
        />
      ) : (
        <Table<TeamRow>
          size="small"
          rowKey="teamId"
          loading={board.isPending}
          columns={teamCols}
          dataSource={(board.data?.teams ?? []) as TeamRow[]}
          onRow={(r) => ({ style: r.mine ? { background: '#e6f4ff', fontWeight: 600 } : undefined }) as never}
          pagination={false}
        />
      )}
    </Card>
  );
}
