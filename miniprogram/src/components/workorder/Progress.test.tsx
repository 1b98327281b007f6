import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { Progress } from './Progress';
import { Timeline } from './Timeline';

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

describe('Progress (the customer view of an order)', () => {
  it('shows the status in plain words, the crew with its work phone and the promised arrival — no staff deadline', () => {
    const { container } = render(
      <Progress
        progress={{
          statusLabel: '抢修人员已出发',
          hint: '抢修人员正在赶往现场，请保持电话畅通。',
          crew: { name: '岳麓区抢修1班', phone: '0731-88600001' },
          expected: { label: '预计到达现场', at: '2026-12-03T06:20:00.000Z', text: '预计到达现场：12月03日14:20前', late: false },
        }}
      />,
    );
    expect(byId('order-progress-status').textContent).toBe('抢修人员已出发');
    expect(byId('order-crew').textContent).toContain('岳麓区抢修1班');
    expect(byId('order-crew-phone').textContent).toContain('0731-88600001');
    expect(byId('order-expected').textContent).toBe('预计到达现场12-03 14:20');
    expect(container.textContent).not.toMatch(/承诺|派单给抢修班组|剩余/);
  });

  it('says so when the promised time has passed, and leaves out what is not known yet', () => {
    render(
      <Progress
        progress={{
          statusLabel: '已受理',
          hint: '正在为您安排抢修人员，请保持电话畅通。',
          crew: null,
          expected: { label: '预计答复', at: '2026-12-03T06:20:00.000Z', text: '', late: true },
        }}
      />,
    );
    expect(byId('order-progress-status').textContent).toBe('已受理');
    expect(document.getElementById('order-crew')).toBeNull();
    expect(byId('order-progress').textContent).toContain('已超出承诺时间');
  });

  it('the timeline shows the steps as the API words them for customers, newest first', () => {
    render(
      <Timeline
        items={[
          { action: 'create', actionLabel: '提交报修', actorRoleLabel: '客户', at: '2026-12-03T06:00:00.000Z', note: null },
          {
            action: 'dispatch',
            actionLabel: '已安排抢修班组',
            actorRoleLabel: '配抢指挥',
            at: '2026-12-03T06:02:00.000Z',
            note: '由岳麓区抢修1班负责抢修',
          },
        ]}
      />,
    );
    const steps = byId('order-timeline').textContent ?? '';
    expect(steps.indexOf('已安排抢修班组')).toBeLessThan(steps.indexOf('提交报修'));
    expect(byId('order-step-dispatch').textContent).toContain('由岳麓区抢修1班负责抢修');
  });
});
