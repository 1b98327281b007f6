'use client';

import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Table } from 'antd';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { downloadFile } from '../reports/download';

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
                    downloadFile(
                      f.filename,
                      Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)),
                      'application/pdf',
                    );
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
