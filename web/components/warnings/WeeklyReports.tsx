'use client';

import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Table } from 'antd';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

/** Saves a base64 file the API returned (after its access check) as a download. */
function saveBase64(filename: string, base64: string, type: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * 服务质量周报: one PDF per 班组 and week (generated every Monday 01:00 for the week before). The supervisor sees
 * their teams', an admin all. Mounted on the warning board and on the reports page.
 */
export function WeeklyReports({ bordered = true }: { bordered?: boolean }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const list = useQuery(trpc.warnings.weeklyReports.queryOptions());
  const file = useMutation(trpc.warnings.weeklyReportFile.mutationOptions());
  type Row = NonNullable<typeof list.data>[number];
  return (
    <Card title={t.warnings.reportsTitle} variant={bordered ? 'outlined' : 'borderless'} data-testid="weekly-reports">
      <p className="ps-muted" style={{ marginTop: 0 }}>
        {t.warnings.reportsDesc}
      </p>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Table<Row>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 8 }}
        locale={{ emptyText: <Empty description={t.warnings.reportsEmpty} /> }}
        columns={[
          { title: t.warnings.reportTeam, dataIndex: 'teamName', key: 'team' },
          { title: t.warnings.reportPeriod, dataIndex: 'periodLabel', key: 'period' },
          { title: t.warnings.reportGeneratedAt, key: 'at', render: (_, r) => formatDateTime(r.generatedAt) },
          {
            title: '',
            key: 'x',
            width: 120,
            render: (_, r) => (
              <Button
                size="small"
                icon={<DownloadOutlined />}
                loading={file.isPending && file.variables?.id === r.id}
                onClick={async () => {
                  try {
                    const f = await file.mutateAsync({ id: r.id });
                    saveBase64(f.filename, f.base64, 'application/pdf');
                  } catch (err) {
                    message.error(errorMessage(err));
                  }
                }}
              >
                {t.warnings.reportDownload}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
