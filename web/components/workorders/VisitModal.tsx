'use client';

import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal, Radio, Rate } from 'antd';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { useStep } from './useStep';

type Target = { id: string; orderNo: string; version: number };
type Values = { outcome: 'satisfied' | 'unsatisfied'; stars: number; comment?: string; notes?: string };

/** Records an agent's return-visit call: satisfied (3–5 stars) or not (1–2 stars, the order reopens). */
export function VisitModal({ order, onClose }: { order: Target | null; onClose: () => void }) {
  const trpc = useTRPC();
  const record = useMutation(trpc.workorder.recordReturnVisit.mutationOptions());
  const { run, busy } = useStep();
  const [form] = Form.useForm<Values>();
  const outcome = Form.useWatch('outcome', form);

  const submit = async () => {
    if (!order) return;
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const r = await run(
      'visit',
      () =>
        record.mutateAsync({
          orderId: order.id,
          version: order.version,
          stars: v.stars,
          comment: v.comment?.trim() || null,
          notes: v.notes?.trim() || null,
        }),
      v.stars <= 2 ? t.visits.reopenedNotice : t.visits.recorded,
    );
    if (r) onClose();
  };

  return (
    <Modal
      open={!!order}
      title={order ? t.visits.recordTitle(order.orderNo) : ''}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy === 'visit'}
      okText={t.app.confirm}
      cancelText={t.app.cancel}
      okButtonProps={{ 'data-testid': 'visit-confirm' } as Record<string, string>}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ outcome: 'satisfied', stars: 5 }}
        onValuesChange={(c: Partial<Values>) => {
          if (c.outcome) form.setFieldValue('stars', c.outcome === 'satisfied' ? 5 : 2);
          if (c.stars) form.setFieldValue('outcome', c.stars <= 2 ? 'unsatisfied' : 'satisfied');
        }}
      >
        <Form.Item name="outcome" label={t.visits.outcome}>
          <Radio.Group data-testid="visit-outcome">
            <Radio.Button value="satisfied">
              <span data-testid="visit-satisfied">{t.visits.satisfied}</span>
            </Radio.Button>
            <Radio.Button value="unsatisfied">
              <span data-testid="visit-unsatisfied">{t.visits.unsatisfied}</span>
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="stars" label={t.visits.stars} rules={[{ required: true, message: t.visits.starsRequired }]}>
          <Rate data-testid="visit-stars" />
        </Form.Item>
        {outcome === 'unsatisfied' && <p style={{ color: '#d4380d' }}>{t.visits.reopenedNotice}</p>}
        <Form.Item name="comment" label={t.visits.comment}>
          <Input.TextArea rows={2} maxLength={500} data-testid="visit-comment" />
        </Form.Item>
        <Form.Item name="notes" label={t.visits.notes}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="visit-notes" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
