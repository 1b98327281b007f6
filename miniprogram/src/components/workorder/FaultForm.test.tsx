import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render } from '@testing-library/react';
import { FaultForm, type FaultApi } from './FaultForm';

const accounts = [
  { id: 'acc1', number: '3101000000001', holderNameMasked: '张*国', addressMasked: '岳麓区**路**号' },
  { id: 'acc2', number: '3101000000002', holderNameMasked: '李*', addressMasked: '芙蓉区**路**号' },
];

function makeApi(overrides: Partial<FaultApi> = {}): FaultApi {
  return {
    phoneOnFile: vi.fn(async () => '139****0001'),
    create: vi.fn(async () => ({ id: 'order1' })),
    choose: vi.fn(async () => []),
    read: vi.fn(async () => 'data:image/png;base64,AAAA'),
    upload: vi.fn(async () => ({ id: 'photo1' })),
    message: (err: unknown, fallback: string) => (err instanceof Error ? err.message : fallback),
    ...overrides,
  };
}

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};
const flush = () =>
  act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });

describe('FaultForm', () => {
  it('shows field errors and does not submit an empty form', async () => {
    const api = makeApi();
    render(<FaultForm accounts={accounts} api={api} onCreated={vi.fn()} />);
    fireEvent.click(byId('fault-submit'));
    expect(byId('fault-account-error').textContent).toBe('请选择户号');
    expect(byId('fault-kind-error').textContent).toBe('请选择故障类型');
    expect(byId('fault-desc-error').textContent).toBe('请填写描述');
    expect(api.create).not.toHaveBeenCalled();
  });

  it('shows the safety tip for the danger kind only', () => {
    render(<FaultForm accounts={accounts} api={makeApi()} onCreated={vi.fn()} />);
    expect(document.getElementById('fault-safety')).toBeNull();
    fireEvent.click(byId('fault-kind-sparking'));
    expect(byId('fault-safety').textContent).toContain('远离危险区域，勿触碰断落电线');
    fireEvent.click(byId('fault-kind-flicker'));
    expect(document.getElementById('fault-safety')).toBeNull();
  });

  it('prefills the masked phone on file and submits without sending it', async () => {
    const api = makeApi();
    const onCreated = vi.fn();
    render(<FaultForm accounts={accounts} api={api} onCreated={onCreated} />);
    fireEvent.click(byId('fault-account-3101000000001'));
    await flush();
    expect(api.phoneOnFile).toHaveBeenCalledWith('3101000000001');
    expect(byId('fault-contact-masked').textContent).toBe('139****0001');
    fireEvent.click(byId('fault-kind-whole_house_outage'));
    fireEvent.change(byId('fault-desc'), { target: { value: '停电' } });
    fireEvent.click(byId('fault-submit'));
    expect(byId('fault-desc-error').textContent).toBe('描述至少 5 个字');
    fireEvent.change(byId('fault-desc'), { target: { value: '家里整户停电，邻居家有电' } });
    fireEvent.click(byId('fault-submit'));
    await flush();
    expect(api.create).toHaveBeenCalledWith({
      accountId: 'acc1',
      faultKind: 'whole_house_outage',
      description: '家里整户停电，邻居家有电',
      photos: [],
    });
    expect(onCreated).toHaveBeenCalledWith('order1', null);
  });

  it('validates and sends a typed contact phone', async () => {
    const api = makeApi();
    render(<FaultForm accounts={[accounts[0]!]} api={api} onCreated={vi.fn()} />);
    await flush();
    fireEvent.click(byId('fault-contact-change'));
    fireEvent.change(byId('fault-phone'), { target: { value: '1380000' } });
    fireEvent.click(byId('fault-kind-meter_problem'));
    fireEvent.change(byId('fault-desc'), { target: { value: '电表屏幕不亮了' } });
    fireEvent.click(byId('fault-submit'));
    expect(byId('fault-phone-error').textContent).toBe('请输入正确的 11 位手机号');
    fireEvent.change(byId('fault-phone'), { target: { value: '13800000009' } });
    fireEvent.click(byId('fault-submit'));
    await flush();
    expect(api.create).toHaveBeenCalledWith(expect.objectContaining({ accountId: 'acc1', contactPhone: '13800000009' }));
  });

  it('checks photo type and size before uploading, uploads at most 3', async () => {
    const choose = vi
      .fn()
      .mockResolvedValueOnce([
        { path: 'blob:1', size: 1000, mime: 'image/gif' },
        { path: 'blob:2', size: 6 * 1024 * 1024, mime: 'image/jpeg' },
        { path: 'blob:3', size: 1000, mime: 'image/jpeg' },
      ])
      .mockResolvedValueOnce([
        { path: 'blob:4', size: 1000, mime: 'image/png' },
        { path: 'blob:5', size: 1000, mime: 'image/png' },
      ]);
    let n = 0;
    const api = makeApi({ choose, upload: vi.fn(async () => ({ id: `p${++n}` })) });
    render(<FaultForm accounts={[accounts[0]!]} api={api} onCreated={vi.fn()} />);
    await flush();
    fireEvent.click(byId('photo-add'));
    await flush();
    expect(choose).toHaveBeenLastCalledWith(3);
    expect(api.upload).toHaveBeenCalledTimes(1);
    expect(byId('photo-error').textContent).toBe('仅支持 JPG、PNG、WebP 格式的图片');
    fireEvent.click(byId('photo-add'));
    await flush();
    expect(choose).toHaveBeenLastCalledWith(2);
    expect(api.upload).toHaveBeenCalledTimes(3);
    expect(document.getElementById('photo-add')).toBeNull();

    fireEvent.click(byId('photo-remove-0'));
    fireEvent.click(byId('fault-kind-area_outage'));
    fireEvent.change(byId('fault-desc'), { target: { value: '整栋楼都停电了' } });
    fireEvent.click(byId('fault-submit'));
    await flush();
    expect(api.create).toHaveBeenCalledWith(expect.objectContaining({ photos: ['p2', 'p3'] }));
  });

  it('shows the server error', async () => {
    const api = makeApi({
      create: vi.fn(async () => {
        throw new Error('照片不存在或已失效，请重新上传');
      }),
    });
    render(<FaultForm accounts={[accounts[0]!]} api={api} onCreated={vi.fn()} />);
    await flush();
    fireEvent.click(byId('fault-kind-flicker'));
    fireEvent.change(byId('fault-desc'), { target: { value: '灯一直在闪烁' } });
    fireEvent.click(byId('fault-submit'));
    await flush();
    expect(byId('fault-error').textContent).toBe('照片不存在或已失效，请重新上传');
  });
  it("shows the chosen account's outage before filing and hands the linked outage on", async () => {
    const linked = {
      id: 'o1',
      outageNo: 'TD20261201-0001',
      kind: 'fault',
      kindLabel: '故障停电',
      phase: 'active',
      phaseLabel: '停电中',
      areaText: '岳麓东1号台区',
      reason: '线路故障',
      startAt: '2026-12-01T00:00:00Z',
      etr: null,
      etrText: '抢修中，恢复时间待定',
      restoredAt: null,
    };
    const api = makeApi({ create: vi.fn(async () => ({ id: 'order2', linkedOutage: linked })) });
    const onCreated = vi.fn();
    const notice = vi.fn((accountId: string) => (accountId === 'acc1' ? <span id="fault-outage">停电中</span> : null));
    render(<FaultForm accounts={accounts} api={api} onCreated={onCreated} accountNotice={notice} />);
    expect(document.getElementById('fault-outage')).toBeNull();
    fireEvent.click(byId('fault-account-3101000000002'));
    expect(document.getElementById('fault-outage')).toBeNull();
    fireEvent.click(byId('fault-account-3101000000001'));
    expect(byId('fault-outage').textContent).toBe('停电中');
    await flush();
    fireEvent.click(byId('fault-kind-whole_house_outage'));
    fireEvent.change(byId('fault-desc'), { target: { value: '家里整户停电，邻居家也没电' } });
    fireEvent.click(byId('fault-submit'));
    await flush();
    expect(onCreated).toHaveBeenCalledWith('order2', linked);
  });
});
