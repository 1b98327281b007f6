import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { OutageCard, OutageNotice } from './OutageCard';
import type { OutageBriefLike } from '@/lib/outage';

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

const outage: OutageBriefLike = {
  id: 'o1',
  outageNo: 'TD20261201-0001',
  kind: 'fault',
  kindLabel: '故障停电',
  phase: 'active',
  phaseLabel: '停电中',
  areaText: '岳麓东1号台区',
  reason: '线路故障抢修',
  startAt: '2026-12-01T00:00:00Z',
  etr: '2026-12-01T10:00:00Z',
  etrText: '预计12月01日18:00恢复送电',
  restoredAt: null,
  areaNames: ['岳麓东1号台区'],
};

describe('OutageCard', () => {
  it('shows kind, phase, window and ETR under stable ids', () => {
    render(<OutageCard outage={outage} idPrefix="list-" />);
    const card = byId('list-outage-TD20261201-0001');
    expect(card.textContent).toContain('故障停电');
    expect(card.textContent).toContain('岳麓东1号台区');
    expect(byId('list-outage-TD20261201-0001-phase').textContent).toBe('停电中');
    expect(byId('list-outage-TD20261201-0001-window').textContent).toBe('12-01 08:00 至 18:00');
    expect(byId('list-outage-TD20261201-0001-etr').textContent).toBe('预计12月01日18:00恢复送电');
  });

  it('shows the restoration time once restored', () => {
    render(<OutageCard outage={{ ...outage, phase: 'restored', phaseLabel: '已恢复送电', restoredAt: '2026-12-01T03:00:00Z' }} idPrefix="mine-" />);
    expect(byId('mine-outage-TD20261201-0001-etr').textContent).toBe('已于 12-01 11:00 恢复送电');
  });
});

describe('OutageNotice', () => {
  it('before filing: tells the report will be linked', () => {
    render(<OutageNotice outage={outage} id="fault-outage" />);
    expect(byId('fault-outage').textContent).toContain('您所在区域正在停电');
    expect(byId('fault-outage-etr').textContent).toBe('预计12月01日18:00恢复送电');
    expect(byId('fault-outage').textContent).toContain('无需重复报修');
  });

  it('after filing: says the report was linked, with the ETR', () => {
    render(<OutageNotice outage={outage} id="order-outage" linked />);
    expect(byId('order-outage').textContent).toContain('已关联停电事件');
    expect(byId('order-outage-linked').textContent).toBe('您所在区域正在停电，预计12月01日18:00恢复送电，无需重复报修');
  });
});
