import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { LoginForm } from './LoginForm';
import { consentStore } from '@/lib/consent';

const flush = () =>
  act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
const setup = () => {
  const login = vi.fn(async () => undefined);
  const openAgreement = vi.fn();
  render(<LoginForm login={login} openAgreement={openAgreement} message={(e, f) => (e instanceof Error ? e.message : f)} />);
  return { login, openAgreement };
};

describe('LoginForm: consent before the first login', () => {
  beforeEach(() => Taro.clearStorageSync());

  it('asks for consent first: 不同意 logs nobody in and says why', async () => {
    const { login } = setup();
    expect(screen.getByRole('checkbox', { name: '同意协议' }).getAttribute('aria-checked')).toBe('false');
    fireEvent.click(screen.getByText('微信一键登录'));
    expect(screen.getByRole('dialog', { name: '用户服务协议及隐私政策' })).toBeTruthy();
    fireEvent.click(screen.getByText('不同意'));
    await flush();
    expect(login).not.toHaveBeenCalled();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText('请先阅读并同意《用户服务协议》和《隐私政策》')).toBeTruthy();
    expect(consentStore.given()).toBe(false);
  });

  it('同意并登录 records the consent and logs in; next time the box is ticked already', async () => {
    const { login } = setup();
    fireEvent.click(screen.getByText('微信一键登录'));
    fireEvent.click(screen.getByText('同意并登录'));
    await flush();
    expect(login).toHaveBeenCalledTimes(1);
    expect(consentStore.given()).toBe(true);
  });

  it('a ticked box logs in at once; the agreements open from their links without ticking anything', async () => {
    const { login, openAgreement } = setup();
    fireEvent.click(screen.getAllByText('《隐私政策》')[0]!);
    expect(openAgreement).toHaveBeenCalledWith('privacy');
    fireEvent.click(screen.getAllByText('《用户服务协议》')[0]!);
    expect(openAgreement).toHaveBeenCalledWith('terms');
    expect(screen.getByRole('checkbox').getAttribute('aria-checked')).toBe('false');
    fireEvent.click(screen.getByRole('checkbox'));
    fireEvent.click(screen.getByText('微信一键登录'));
    await flush();
    expect(login).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows the login failure', async () => {
    consentStore.give();
    const login = vi.fn(async () => {
      throw new Error('登录失败，请稍后重试');
    });
    render(<LoginForm login={login} openAgreement={vi.fn()} message={(e) => (e as Error).message} />);
    fireEvent.click(screen.getByText('微信一键登录'));
    await flush();
    expect(screen.getByText('登录失败，请稍后重试')).toBeTruthy();
  });
});
