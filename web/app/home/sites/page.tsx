'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import Link from 'next/link';
import { useState } from 'react';
import { Forbidden, SupplyStateTag } from '@/components/common';
import { CustomerPage } from '@/components/CustomerPage';
import { PortfolioTotals } from '@/components/portfolio/EnterpriseOverview';
import { cnDay, isEnterpriseUser, type PortfolioRow } from '@/components/portfolio/portfolio';
import { formatPeriod } from '@/lib/billing';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';

const M = t.entMoney;
type Sort = 'number' | 'siteName' | 'arrears' | 'nextDue' | 'lastKwh' | 'lastAmount';
const SORT_OF_COLUMN: Record<string, Sort> = {
  number: 'number',
  siteName: 'siteName',
  owedFen: 'arrears',
  nextDueDay: 'nextDue',
  lastKwh: 'lastKwh',
  lastAmountFen: 'lastAmount',
};
const DUE_CHOICES = [7, 15, 30];

function SitesTable() {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [supplyState, setSupplyState] = useState<'normal' | 'arrears' | 'disconnected' | undefined>();
  const [usageCategory, setUsageCategory] = useState<'commercial' | 'industrial' | 'residential' | undefined>();
  const [arrears, setArrears] = useState<'yes' | 'no' | undefined>();
  const [due, setDue] = useState<number | undefined>();
  const [sort, setSort] = useState<{ by: Sort; dir: 'asc' | 'desc' }>({ by: 'number', dir: 'asc' });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);

  const list = useQuery({
    ...trpc.portfolio.list.queryOptions({
      search: search || undefined,
      supplyState,
      usageCategory,
      hasArrears: arrears == null ? undefined : arrears === 'yes',
      dueWithinDays: due,
      sort: sort.by,
      dir: sort.dir,
      page,
      pageSize,
    }),
    placeholderData: keepPreviousData,
  });
  const money = list.data?.moneyVisible ?? false;
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };

  const sortOrder = (key: string) => (SORT_OF_COLUMN[key] === sort.by ? (sort.dir === 'asc' ? ('ascend' as const) : ('descend' as const)) : null);
  const columns: ColumnsType<PortfolioRow> = [
    {
      title: M.colSite,
      dataIndex: 'siteName',
      key: 'siteName',
      sorter: true,
      sortOrder: sortOrder('siteName'),
      render: (v: string, r) => (
        <Link href={`/home/accounts/${r.accountId}`} style={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
          {v}
        </Link>
      ),
    },
    { title: M.colNumber, dataIndex: 'number', key: 'number', sorter: true, sortOrder: sortOrder('number') },
    {
      title: M.colAddress,
      dataIndex: 'address',
      key: 'address',
      render: (v: string) => (
        <span
          title={v}
          style={{
            display: 'inline-block',
            maxWidth: 200,
            overflow: 'hidden',
            textOverflow: 'ellipsis',
            whiteSpace: 'nowrap',
            verticalAlign: 'bottom',
          }}
        >
          {v}
        </span>
      ),
    },
    { title: M.colCategory, dataIndex: 'usageCategory', key: 'usageCategory', render: (v: string) => t.enums.usageCategory[v] ?? v },
    {
      title: M.colSupply,
      dataIndex: 'supplyState',
      key: 'supplyState',
      render: (v: string, r) => (
        <Space size={4}>
          <SupplyStateTag state={v} />
          {r.atRisk && <Tag color="volcano">{M.risk}</Tag>}
        </Space>
      ),
    },
    ...(money
      ? ([
          {
            title: M.colArrears,
            dataIndex: 'owedFen',
            key: 'owedFen',
            align: 'right',
            sorter: true,
            sortOrder: sortOrder('owedFen'),
            render: (v: number | null, r: PortfolioRow) =>
              (v ?? 0) > 0 ? (
                <span className="ps-amount-danger" style={{ whiteSpace: 'nowrap' }}>
                  {formatFen(v ?? 0)}
                </span>
              ) : r.balanceFen != null ? (
                <span className="ps-muted" style={{ whiteSpace: 'nowrap' }}>
                  {M.prepaidBalance(formatFen(r.balanceFen))}
                </span>
              ) : (
                <span className="ps-muted">{M.none}</span>
              ),
          },
          {
            title: M.colNextDue,
            dataIndex: 'nextDueDay',
            key: 'nextDueDay',
            sorter: true,
            sortOrder: sortOrder('nextDueDay'),
            render: (v: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{v ? cnDay(v) : '—'}</span>,
          },
        ] as ColumnsType<PortfolioRow>)
      : []),
    {
      title: M.colLastMonth,
      dataIndex: 'lastKwh',
      key: 'lastKwh',
      align: 'right',
      sorter: true,
      sortOrder: sortOrder('lastKwh'),
      render: (v: number | null, r) =>
        v == null ? (
          '—'
        ) : (
          <span style={{ whiteSpace: 'nowrap' }} title={r.lastPeriod ? formatPeriod(r.lastPeriod) : undefined}>
            {M.kwh(v)}
          </span>
        ),
    },
    ...(money
      ? ([
          {
            title: M.colLastAmount,
            dataIndex: 'lastAmountFen',
            key: 'lastAmountFen',
            align: 'right',
            sorter: true,
            sortOrder: sortOrder('lastAmountFen'),
            render: (v: number | null) => <span style={{ whiteSpace: 'nowrap' }}>{v == null ? '—' : formatFen(v)}</span>,
          },
        ] as ColumnsType<PortfolioRow>)
      : []),
  ];

  return (
    <div data-testid="sites-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {M.sitesTitle}
      </Typography.Title>
      {list.data && (
        <div style={{ marginBottom: 12 }} data-testid="enterprise-name">
          <span className="ps-muted">{M.company}：</span>
          <span style={{ fontWeight: 600 }}>{list.data.enterpriseName}</span>
          <span className="ps-muted" style={{ marginLeft: 12 }}>
            {M.sitesDesc}
          </span>
        </div>
      )}
      {list.data && <PortfolioTotals totals={list.data.totals} moneyVisible={money} />}
      {!money && list.data && <Alert type="info" showIcon title={M.moneyHidden} style={{ marginBottom: 12 }} />}
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={M.search} aria-label={M.search} style={{ width: 280 }} onSearch={(v) => reset(setSearch)(v.trim())} />
          <Select
            allowClear
            placeholder={M.filterSupply}
            aria-label={M.filterSupply}
            style={{ width: 140 }}
            value={supplyState}
            onChange={reset(setSupplyState)}
            options={Object.entries(t.enums.supplyState).map(([value, label]) => ({ value, label }))}
          />
          <Select
            allowClear
            placeholder={M.filterCategory}
            aria-label={M.filterCategory}
            style={{ width: 140 }}
            value={usageCategory}
            onChange={reset(setUsageCategory)}
            options={(['commercial', 'industrial', 'residential'] as const).map((value) => ({ value, label: t.enums.usageCategory[value] }))}
          />
          {money && (
            <>
              <Select
                allowClear
                placeholder={M.filterArrears}
                aria-label={M.filterArrears}
                style={{ width: 130 }}
                value={arrears}
                onChange={reset(setArrears)}
                options={[
                  { value: 'yes', label: M.hasArrears },
                  { value: 'no', label: M.noArrears },
                ]}
              />
              <Select
                allowClear
                placeholder={M.filterDue}
                aria-label={M.filterDue}
                style={{ width: 210 }}
                value={due}
                onChange={reset(setDue)}
                options={DUE_CHOICES.map((d) => ({ value: d, label: M.dueWithin(d) }))}
              />
            </>
          )}
        </Space>
        {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 12 }} />}
        <Table<PortfolioRow>
          rowKey="accountId"
          size="middle"
          loading={list.isFetching}
          columns={columns}
          dataSource={list.data?.rows ?? []}
          scroll={{ x: 'max-content' }}
          data-testid="sites-table"
          onChange={(pg, _filters, sorter) => {
            const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<PortfolioRow>;
            const by = s?.order ? SORT_OF_COLUMN[String(s.columnKey)] : undefined;
            const next = by
              ? { by, dir: s.order === 'descend' ? ('desc' as const) : ('asc' as const) }
              : { by: 'number' as const, dir: 'asc' as const };
            if (next.by !== sort.by || next.dir !== sort.dir) {
              setSort(next);
              setPage(1);
            } else {
              setPage(pg.current ?? 1);
              setPageSize(pg.pageSize ?? 20);
            }
          }}
          pagination={{
            current: list.data?.page ?? page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (n) => M.count(n),
          }}
        />
      </Card>
    </div>
  );
}

export default function SitesPage() {
  return <CustomerPage>{(me) => (isEnterpriseUser(me.roles) ? <SitesTable /> : <Forbidden desc={M.notEnterprise} homeHref="/home" />)}</CustomerPage>;
}
