'use client';

import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { AppRouter } from '@power/api';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { Alert, App, Button, Drawer, Empty, Segmented, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { StaffOrderDrawer } from '@/components/workorders/StaffOrderDrawer';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { downloadFile } from './download';

type In = inferRouterInputs<AppRouter>;
type Out = inferRouterOutputs<AppRouter>;
export type DrillRequest = Omit<In['quality']['drill'], 'page' | 'pageSize'> & { title: string };
type Row = Out['quality']['drill']['rows'][number];

const PAGE_SIZES = [20, 50, 100, 200];

const OUTCOME_COLOR = (row: Row) => (row.inNumerator ? 'green' : /超时|未|重|不满意|差/.test(row.outcome) ? 'red' : 'default');

/** The orders behind a number: a paged table, the numerator/denominator switch, and the CSV of exactly those rows. */
export function DrillDrawer({ req, onClose }: { req: DrillRequest | null; onClose: () => void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [part, setPart] = useState<'numerator' | 'denominator'>('denominator');
  const [orderId, setOrderId] = useState<string | null>(null);
  useEffect(() => {
    if (req) {
      setPage(1);
      setPart(req.part);
    }
  }, [req]);
  const input = req ? { ...stripTitle(req), part, page, pageSize } : null;
  const q = useQuery({
    ...trpc.quality.drill.queryOptions(input ?? ({} as In['quality']['drill'])),
    enabled: !!input,
    placeholderData: keepPreviousData,
  });
  const exp = useMutation({
    mutationFn: () => client.quality.exportCsv.mutate({ table: 'drill', ...stripTitle(req!), part }),
    onSuccess: (r) => {
      downloadFile(r.filename, r.csv);
      message.success(t.reports.exported(r.filename));
    },
    onError: (e) => message.error(errorMessage(e)),
  });

  // The table shows the CSV's columns, in its order and under its headers (quality.drill `columns`).
  const head = (i: number, fallback: string) => q.data?.columns[i] ?? fallback;
  const columns: ColumnsType<Row> = [
    {
      title: head(0, t.reports.drill.number),
      dataIndex: 'orderNo',
      width: 150,
      fixed: 'left',
      render: (no: string, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} title={t.reports.drill.openOrder} onClick={() => setOrderId(r.orderId)}>
          {no}
        </Button>
      ),
    },
    { title: head(1, t.reports.drill.type), dataIndex: 'typeLabel', width: 100 },
    { title: head(2, t.reports.drill.channel), dataIndex: 'channelLabel', width: 110 },
    { title: head(3, t.reports.drill.region), dataIndex: 'regionName', width: 110 },
    { title: head(4, t.reports.drill.team), dataIndex: 'teamName', width: 100 },
    { title: head(5, t.reports.drill.assignee), dataIndex: 'agentName', width: 90 },
    { title: head(6, t.reports.drill.createdAt), dataIndex: 'createdAt', width: 150 },
    { title: head(7, t.reports.drill.dueAt), dataIndex: 'dueAt', width: 150 },
    { title: head(8, t.reports.drill.endedAt), dataIndex: 'doneAt', width: 150 },
    {
      title: head(9, t.reports.drill.outcome),
      key: 'outcome',
      width: 110,
      render: (_, r) => (
        <Tag color={OUTCOME_COLOR(r)} style={{ marginInlineEnd: 0 }}>
          {r.outcome}
        </Tag>
      ),
    },
    {
      title: head(10, t.reports.drill.inNumerator),
      key: 'inNumerator',
      width: 100,
      fixed: 'right',
      render: (_, r) => (r.inNumerator ? t.reports.drill.yes : t.reports.drill.no),
    },
  ];

  return (
    <>
      <Drawer
        open={!!req}
        onClose={onClose}
        size="min(1200px, 96vw)"
        title={req ? t.reports.drill.titleOf(req.title) : t.reports.drill.title}
        extra={
          <Button type="primary" icon={<DownloadOutlined />} loading={exp.isPending} disabled={!q.data?.total} onClick={() => exp.mutate()}>
            {t.reports.exportCsv}
          </Button>
        }
      >
        {req && (
          <Space direction="vertical" style={{ width: '100%' }} size={12}>
            <Space wrap>
              <span className="ps-muted">{t.reports.rangeText(req.from, req.to)}</span>
              <Segmented
                value={part}
                onChange={(v) => {
                  setPart(v as typeof part);
                  setPage(1);
                }}
                options={[
                  { value: 'denominator', label: t.reports.drill.denominator },
                  { value: 'numerator', label: t.reports.drill.numerator },
                ]}
              />
              {q.data && <span>{t.reports.drill.totalOf(q.data.partLabel, q.data.total)}</span>}
            </Space>
            {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
            <Table<Row>
              rowKey="orderId"
              size="small"
              columns={columns}
              dataSource={q.data?.rows ?? []}
              loading={q.isFetching}
              scroll={{ x: 1320 }}
              locale={{ emptyText: <Empty description={t.reports.drill.empty} /> }}
              pagination={{
                current: page,
                pageSize,
                total: q.data?.total ?? 0,
                showSizeChanger: true,
                pageSizeOptions: PAGE_SIZES,
                size: 'small',
                onChange: (p, size) => {
                  setPage(size === pageSize ? p : 1);
                  setPageSize(size);
                },
                showTotal: (n) => t.reports.drill.total(n),
              }}
            />
          </Space>
        )}
      </Drawer>
      <StaffOrderDrawer orderId={orderId} onClose={() => setOrderId(null)} />
    </>
  );
}

function stripTitle(r: DrillRequest): Omit<DrillRequest, 'title'> {
  const { title: _title, ...rest } = r;
  return rest;
}
