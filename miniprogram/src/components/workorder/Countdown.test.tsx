import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render } from '@testing-library/react';
import { Countdown } from './Countdown';
import { RatingForm } from './RatingForm';
import { RequestForm } from './RequestForm';

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

describe('Countdown', () => {
  it('counts down every second and turns overdue', () => {
    vi.useFakeTimers();
    try {
      const start = Date.parse('2026-03-05T10:00:00Z');
      vi.setSystemTime(start);
      const due = new Date(start + 2_000).toISOString();
      render(<Countdown countdown={{ kind: 'dispatch', dueAt: due, overdue: false, paused: false }} />);
      expect(byId('order-countdown-step').textContent).toBe('承诺 派单给抢修班组');
      expect(byId('order-countdown-time').textContent).toBe('剩余0分02秒');
      act(() => {
        vi.advanceTimersByTime(1000);
      });
      expect(byId('order-countdown-time').textContent).toBe('剩余0分01秒');
      act(() => {
        vi.advanceTimersByTime(3000);
      });
      expect(byId('order-countdown-time').textContent).toBe('已超时0分02秒');
      expect(byId('order-countdown').className).toContain('wo-countdown-overdue');
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows a paused clock without ticking', () => {
    render(<Countdown countdown={{ kind: 'arrival', dueAt: new Date(Date.now() - 60_000).toISOString(), overdue: true, paused: true }} />);
    expect(byId('order-countdown-time').textContent).toBe('等待您的回复，时限暂停计算');
    expect(byId('order-countdown').className).not.toContain('wo-countdown-overdue');
  });
});

describe('RatingForm', () => {
  it('requires stars, then submits stars and comment', async () => {
    const onSubmit = vi.fn(async () => undefined);
    render(<RatingForm onSubmit={onSubmit} message={(_e, f) => f} />);
    fireEvent.click(byId('rate-submit'));
    expect(byId('rate-error').textContent).toBe('请选择评分');
    fireEvent.click(byId('rate-star-5'));
    expect(byId('rate-label').textContent).toBe('非常满意');
    fireEvent.change(byId('rate-comment'), { target: { value: ' 师傅很快 ' } });
    await act(async () => {
      fireEvent.click(byId('rate-submit'));
    });
    expect(onSubmit).toHaveBeenCalledWith(5, '师傅很快');
  });
});

describe('RequestForm', () => {
  const categories = [
    { type: 'consultation', categories: ['电费电价', '其他'] },
    { type: 'complaint', categories: ['服务态度', '其他'] },
    { type: 'praise', categories: ['抢修人员'] },
  ];
  it('asks for a category and a description, then files the chosen type', async () => {
    const create = vi.fn(async () => ({ id: 'o9' }));
    const onCreated = vi.fn();
    render(<RequestForm categories={categories} accounts={[]} api={{ create, message: (_e, f) => f }} onCreated={onCreated} />);
    fireEvent.click(byId('request-type-complaint'));
    expect(byId('request-categories').textContent).toContain('服务态度');
    fireEvent.click(byId('request-submit'));
    expect(byId('request-category-error').textContent).toBe('请选择问题分类');
    expect(byId('request-desc-error').textContent).toBe('请填写描述');
    fireEvent.click(byId('request-category-0'));
    fireEvent.change(byId('request-desc'), { target: { value: '营业厅排队时间太长' } });
    await act(async () => {
      fireEvent.click(byId('request-submit'));
    });
    expect(create).toHaveBeenCalledWith({ type: 'complaint', category: '服务态度', description: '营业厅排队时间太长' });
    expect(onCreated).toHaveBeenCalledWith('o9');
  });
});
