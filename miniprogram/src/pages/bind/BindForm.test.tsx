import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { BindForm, type BindApi } from './BindForm';

function makeApi(overrides: Partial<BindApi> = {}): BindApi {
  return {
    lookup: vi.fn(async (number: string) => ({ number, holderNameMasked: '张*国', phoneOnFile: true })),
    bind: vi.fn(async () => ({})),
    sendCode: vi.fn(async () => ({ phoneMasked: '139****0001' })),
    bindWithCode: vi.fn(async () => ({})),
    message: (err: unknown, fallback: string) => (err instanceof Error ? err.message : fallback),
    ...overrides,
  };
}

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

async function flush() {
  await act(async () => {
    await Promise.resolve();
  });
}

describe('BindForm', () => {
  it('rejects a short account number with a Chinese error and does not call the server', async () => {
    const api = makeApi();
    render(<BindForm api={api} onBound={vi.fn()} />);
    fireEvent.change(byId('bind-number'), { target: { value: '310100000000' } });
    fireEvent.click(byId('bind-lookup'));
    expect(await screen.findByText('户号应为 13 位数字')).toBeTruthy();
    expect(api.lookup).not.toHaveBeenCalled();
  });

  it('asks for a number when empty', async () => {
    render(<BindForm api={makeApi()} onBound={vi.fn()} />);
    fireEvent.click(byId('bind-lookup'));
    expect(byId('bind-number-error').textContent).toBe('请输入户号');
  });

  it('looks up, shows the masked holder, validates the name, binds', async () => {
    const api = makeApi();
    const onBound = vi.fn();
    render(<BindForm api={api} onBound={onBound} />);
    fireEvent.change(byId('bind-number'), { target: { value: '3101000000001' } });
    fireEvent.click(byId('bind-lookup'));
    await flush();
    expect(api.lookup).toHaveBeenCalledWith('3101000000001');
    expect(byId('bind-holder-masked').textContent).toBe('户主：张*国');

    fireEvent.click(byId('bind-submit'));
    expect(byId('bind-field-error').textContent).toBe('请输入户主姓名');
    expect(api.bind).not.toHaveBeenCalled();

    fireEvent.change(byId('bind-holder'), { target: { value: '张建国' } });
    fireEvent.click(byId('bind-relation-family'));
    fireEvent.click(byId('bind-submit'));
    await flush();
    expect(api.bind).toHaveBeenCalledWith({ number: '3101000000001', holderName: '张建国', relation: 'family' });
    expect(onBound).toHaveBeenCalledTimes(1);
  });

  it('shows the server error inline', async () => {
    const api = makeApi({
      bind: vi.fn(async () => {
        throw new Error('户名与户号不匹配，还可尝试 4 次');
      }),
    });
    const onBound = vi.fn();
    render(<BindForm api={api} onBound={onBound} />);
    fireEvent.change(byId('bind-number'), { target: { value: '3101000000001' } });
    fireEvent.click(byId('bind-lookup'));
    await flush();
    fireEvent.change(byId('bind-holder'), { target: { value: '李四' } });
    fireEvent.click(byId('bind-submit'));
    await flush();
    expect(byId('bind-error').textContent).toBe('户名与户号不匹配，还可尝试 4 次');
    expect(onBound).not.toHaveBeenCalled();
  });

  it('binds with an SMS code (option B)', async () => {
    const api = makeApi();
    const onBound = vi.fn();
    render(<BindForm api={api} onBound={onBound} />);
    fireEvent.change(byId('bind-number'), { target: { value: '3101000000001' } });
    fireEvent.click(byId('bind-lookup'));
    await flush();
    fireEvent.click(byId('bind-method-sms'));
    // No digits of the phone on file until the code was sent to it.
    expect(screen.getByText('验证码将发送至户主预留手机；短信验证后为户主，可管理户号设置')).toBeTruthy();
    fireEvent.click(byId('bind-send-code'));
    await flush();
    expect(screen.getByText('验证码已发送至 139****0001')).toBeTruthy();
    expect(api.sendCode).toHaveBeenCalledWith('3101000000001');
    expect(byId('bind-send-code').textContent).toBe('60 秒后重发');

    fireEvent.change(byId('bind-code'), { target: { value: '12' } });
    fireEvent.click(byId('bind-submit'));
    expect(byId('bind-field-error').textContent).toBe('请输入 6 位短信验证码');

    fireEvent.change(byId('bind-code'), { target: { value: '123456' } });
    fireEvent.click(byId('bind-submit'));
    await flush();
    expect(api.bindWithCode).toHaveBeenCalledWith({ number: '3101000000001', code: '123456', relation: 'self' });
    expect(onBound).toHaveBeenCalled();
  });
});
