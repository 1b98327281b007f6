'use client';

import { CheckCircleFilled, QrcodeOutlined, WechatOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Input, Radio, Result, Space, Spin, Tag, Typography } from 'antd';
import Link from 'next/link';
import QRCode from 'qrcode';
import { useEffect, useMemo, useState } from 'react';
import { formatPeriod, OPEN_PAYMENT, yuanToFen, type CreatedPayment } from '@/lib/billing';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';

/** Whose account is paid: one the user may see (accountId), or 代缴 by number + the confirmed masked name. */
export type PayTarget = { accountId: string } | { number: string; holderNameMasked: string };

export type PayableBill = { id: string; period: string; amountFen: number; lateFeeFen: number; totalDueFen: number; dueDay: string };

const RECHARGE_PRESETS_FEN = [5_000, 10_000, 20_000, 50_000];

/**
 * True when the API runs a development/test environment (its SMS outbox answers) or this is a
 * development build: then the page shows how to pay at the WeChat Pay simulator.
 */
export function useDevPaySim(): boolean {
  const trpc = useTRPC();
  const devBuild = process.env.NODE_ENV !== 'production';
  const probe = useQuery({
    ...trpc.dev.smsOutbox.queryOptions({ phone: '13000000000' }),
    enabled: !devBuild,
    retry: false,
    staleTime: Infinity,
  });
  return devBuild || probe.isSuccess;
}

/** Seconds until an ISO time, ticking once a second. */
function useSecondsLeft(iso: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!iso) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [iso]);
  if (!iso) return null;
  return Math.max(0, Math.floor((Date.parse(iso) - now) / 1000));
}

const mmss = (s: number) => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;

function QrImage({ codeUrl }: { codeUrl: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(codeUrl, { width: 220, margin: 1, errorCorrectionLevel: 'M' })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [codeUrl]);
  return (
    <div
      style={{
        width: 220,
        height: 220,
        margin: '0 auto',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        border: '1px solid #e5eaee',
        borderRadius: 8,
        background: '#fff',
      }}
    >
      {src ? <img src={src} width={220} height={220} alt={t.billing.scanTip} data-testid="pay-qr" /> : <Spin />}
    </div>
  );
}

/** One Native payment: QR code, polling every 2 s, success / closed states (also the 合并缴费 page's). */
export function ActivePayment({
  created,
  label,
  devSim,
  onPaid,
  onRetry,
  retrying,
}: {
  created: CreatedPayment;
  label: string | null;
  devSim: boolean;
  onPaid: () => void;
  onRetry: () => void;
  retrying: boolean;
}) {
  const trpc = useTRPC();
  const status = useQuery({
    ...trpc.billing.paymentStatus.queryOptions({ paymentId: created.paymentId }),
    staleTime: 0,
    refetchInterval: (q) => (q.state.data && !OPEN_PAYMENT.has(q.state.data.status) ? false : 2000),
    refetchIntervalInBackground: true,
  });
  const left = useSecondsLeft(created.expiresAt);
  const s = status.data?.status ?? 'paying';
  const paid = s === 'paid';
  const closed = s === 'closed' || s === 'refunded' || (OPEN_PAYMENT.has(s) && left === 0);

  useEffect(() => {
    if (paid) onPaid();
    // onPaid is called once per payment id
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paid, created.paymentId]);

  if (paid) return null;
  if (closed) {
    return (
      <Result
        status="warning"
        title={s === 'closed' ? t.billing.closed : t.billing.expired}
        subTitle={t.billing.closedDesc}
        data-testid="pay-closed"
        extra={
          <Button type="primary" onClick={onRetry} loading={retrying} data-testid="pay-retry">
            {t.billing.retry}
          </Button>
        }
      />
    );
  }
  return (
    <div data-testid="pay-active" data-payment-id={created.paymentId} data-status={s}>
      <div style={{ textAlign: 'center' }}>
        {label && (
          <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
            {label}
          </Typography.Text>
        )}
        <div className="ps-muted">{t.billing.payAmount}</div>
        <div className="ps-amount" style={{ fontSize: 28, marginBottom: 4 }} data-testid="pay-amount">
          {formatFen(created.amountFen)}
        </div>
        {created.lateFeeFen > 0 && (
          <div className="ps-muted" style={{ marginBottom: 8 }}>
            {t.billing.includesLateFee(formatFen(created.lateFeeFen))}
          </div>
        )}
        {created.codeUrl ? <QrImage codeUrl={created.codeUrl} /> : <Alert type="error" showIcon title={t.errors.unavailable} />}
        <div style={{ marginTop: 12 }}>
          <WechatOutlined style={{ color: '#09bb07', marginRight: 6 }} />
          {t.billing.scanTip}
        </div>
        <div style={{ marginTop: 8 }} data-testid="pay-status" data-status={s}>
          <Spin size="small" /> <span className="ps-muted">{t.billing.waiting}</span>
          {left != null && <Tag style={{ marginLeft: 8 }}>{mmss(left)}</Tag>}
        </div>
      </div>
      <Descriptions column={1} size="small" style={{ marginTop: 16 }}>
        <Descriptions.Item label={t.billing.outTradeNo}>
          <Typography.Text copyable data-testid="pay-out-trade-no">
            {created.outTradeNo}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t.billing.expiresAt}>{formatDateTime(created.expiresAt)}</Descriptions.Item>
      </Descriptions>
      {devSim && (
        <Alert
          type="info"
          showIcon
          icon={<QrcodeOutlined />}
          style={{ marginTop: 8 }}
          data-testid="pay-dev-sim"
          title={t.billing.devTitle}
          description={
            <div style={{ fontSize: 12 }}>
              <div>{t.billing.devDesc}</div>
              <div style={{ marginTop: 4, wordBreak: 'break-all' }}>
                {t.billing.outTradeNo}：<code data-testid="pay-dev-out-trade-no">{created.outTradeNo}</code>
              </div>
              <div style={{ wordBreak: 'break-all' }}>
                {t.billing.codeUrl}：<code data-testid="pay-code-url">{created.codeUrl}</code>
              </div>
            </div>
          }
        />
      )}
    </div>
  );
}

/**
 * Paying an account: choose unpaid bills (postpaid; one WeChat order per bill, paid one after the
 * other) or a recharge amount (prepaid), then a Native QR code until the payment settles.
 */
export function PayPanel({
  target,
  mode,
  bills,
  backHref,
  backLabel,
}: {
  target: PayTarget;
  mode: 'postpaid' | 'prepaid';
  bills: PayableBill[];
  backHref?: string;
  backLabel?: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const devSim = useDevPaySim();
  const create = useMutation(trpc.billing.createPayment.mutationOptions());

  const oldestFirst = useMemo(() => [...bills].sort((a, b) => (a.period < b.period ? -1 : 1)), [bills]);
  const [selected, setSelected] = useState<string[]>(() => oldestFirst.map((b) => b.id));
  const [preset, setPreset] = useState<number | 'custom'>(10_000);
  const [custom, setCustom] = useState('');
  const [error, setError] = useState<string | null>(null);

  // Running state: the queue of bills (or one recharge), where we are, the current order, what was paid.
  const [queue, setQueue] = useState<(PayableBill | null)[] | null>(null);
  const [index, setIndex] = useState(0);
  const [current, setCurrent] = useState<CreatedPayment | null>(null);
  const [paidItems, setPaidItems] = useState<{ amountFen: number; label: string | null }[]>([]);
  const [justPaid, setJustPaid] = useState(false);

  const rechargeFen = preset === 'custom' ? yuanToFen(custom) : preset;
  const selectedBills = oldestFirst.filter((b) => selected.includes(b.id));
  const selectedTotal = selectedBills.reduce((s, b) => s + b.totalDueFen, 0);

  const start = async (item: PayableBill | null, amountFen?: number) => {
    setError(null);
    setJustPaid(false);
    try {
      const res = await create.mutateAsync({ ...target, channel: 'native', billId: item?.id, amountFen });
      setCurrent(res);
    } catch (err) {
      setCurrent(null);
      setError(errorMessage(err));
    }
  };

  const begin = () => {
    setError(null);
    if (mode === 'postpaid') {
      if (!selectedBills.length) return setError(t.billing.chooseBillsRequired);
      setQueue(selectedBills);
      setIndex(0);
      setPaidItems([]);
      void start(selectedBills[0]);
    } else {
      if (rechargeFen == null || rechargeFen < 100 || rechargeFen > 5_000_000) return setError(t.billing.rechargeInvalid);
      setQueue([null]);
      setIndex(0);
      setPaidItems([]);
      void start(null, rechargeFen);
    }
  };

  const itemLabel = (i: number) => {
    const item = queue?.[i];
    if (!item) return null;
    return queue!.length > 1 ? `${t.billing.progress(i + 1, queue!.length)} · ${formatPeriod(item.period)}` : formatPeriod(item.period);
  };

  const onPaid = () => {
    if (!current) return;
    setPaidItems((p) => [...p, { amountFen: current.amountFen, label: itemLabel(index) }]);
    setJustPaid(true);
    void queryClient.invalidateQueries({ queryKey: trpc.billing.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.account.pathKey() });
    // Paying off arrears opens a 复电 order (the account reads 复电中) and leaves notices: show them at once.
    void queryClient.invalidateQueries({ queryKey: trpc.workorder.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.messages.pathKey() });
  };

  const next = () => {
    const i = index + 1;
    setIndex(i);
    setCurrent(null);
    void start(queue![i]!);
  };

  const reset = () => {
    setQueue(null);
    setCurrent(null);
    setJustPaid(false);
    setPaidItems([]);
    setError(null);
  };

  // ---- Choosing what to pay
  if (!queue) {
    if (mode === 'postpaid' && oldestFirst.length === 0) {
      return (
        <Card data-testid="pay-panel">
          <Result
            status="success"
            title={t.billing.noUnpaid}
            data-testid="pay-nothing-due"
            extra={
              backHref && (
                <Link href={backHref}>
                  <Button>{backLabel ?? t.billing.backToBills}</Button>
                </Link>
              )
            }
          />
        </Card>
      );
    }
    return (
      <Card data-testid="pay-panel" title={mode === 'postpaid' ? t.billing.chooseBills : t.billing.rechargeAmount}>
        {mode === 'postpaid' ? (
          <>
            <Checkbox.Group value={selected} onChange={(v) => setSelected(v as string[])} style={{ display: 'block' }}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                {oldestFirst.map((b) => (
                  <Checkbox key={b.id} value={b.id} data-testid={`pay-bill-${b.period}`}>
                    <span style={{ fontWeight: 600 }}>{formatPeriod(b.period)}</span>
                    <span style={{ marginLeft: 12 }}>{formatFen(b.totalDueFen)}</span>
                    {b.lateFeeFen > 0 && (
                      <span className="ps-muted" style={{ marginLeft: 8 }}>
                        {t.billing.includesLateFee(formatFen(b.lateFeeFen))}
                      </span>
                    )}
                    <span className="ps-muted" style={{ marginLeft: 8 }}>
                      {t.billing.dueDay} {b.dueDay}
                    </span>
                  </Checkbox>
                ))}
              </Space>
            </Checkbox.Group>
            {oldestFirst.length > 1 && (
              <div className="ps-muted" style={{ marginTop: 8, fontSize: 12 }}>
                {t.billing.sequentialHint}
              </div>
            )}
            <div style={{ marginTop: 16 }}>
              <span className="ps-muted">{t.billing.totalDue}：</span>
              <span className="ps-amount ps-amount-danger" data-testid="pay-selected-total">
                {formatFen(selectedTotal)}
              </span>
            </div>
          </>
        ) : (
          <>
            <Radio.Group value={preset} onChange={(e) => setPreset(e.target.value)} data-testid="recharge-presets">
              {RECHARGE_PRESETS_FEN.map((f) => (
                <Radio.Button key={f} value={f}>
                  <span data-testid={`recharge-${f}`}>{formatFen(f).replace(/\.00$/, '')}</span>
                </Radio.Button>
              ))}
              <Radio.Button value="custom">
                <span data-testid="recharge-custom">{t.billing.rechargeCustom}</span>
              </Radio.Button>
            </Radio.Group>
            {preset === 'custom' && (
              <Input
                style={{ marginTop: 12, maxWidth: 240, display: 'block' }}
                prefix="¥"
                inputMode="decimal"
                value={custom}
                onChange={(e) => setCustom(e.target.value)}
                placeholder={t.billing.rechargeCustom}
                data-testid="recharge-amount"
              />
            )}
            <div style={{ marginTop: 16 }}>
              <span className="ps-muted">{t.billing.payAmount}：</span>
              <span className="ps-amount">{rechargeFen != null ? formatFen(rechargeFen) : '—'}</span>
            </div>
          </>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="pay-error" />}
        <Button
          type="primary"
          size="large"
          block
          icon={<WechatOutlined />}
          style={{ marginTop: 16 }}
          onClick={begin}
          loading={create.isPending}
          data-testid="pay-start"
        >
          {t.billing.createPay}
        </Button>
      </Card>
    );
  }

  // ---- Paying
  const more = queue.length > index + 1;
  const allDone = justPaid && !more;
  return (
    <Card data-testid="pay-panel" title={t.billing.payTitle}>
      {justPaid ? (
        <Result
          icon={<CheckCircleFilled style={{ color: '#52c41a' }} />}
          title={t.billing.success}
          data-testid="pay-success"
          subTitle={
            <div>
              {paidItems.map((p) => (
                <div key={`${p.label ?? ''}-${p.amountFen}`}>
                  {p.label ? `${p.label}：` : ''}
                  {mode === 'prepaid' ? t.billing.successRecharge(formatFen(p.amountFen)) : t.billing.successDesc(formatFen(p.amountFen))}
                </div>
              ))}
            </div>
          }
          extra={
            <Space wrap style={{ justifyContent: 'center' }}>
              {more && (
                <Button type="primary" onClick={next} loading={create.isPending} data-testid="pay-next">
                  {t.billing.nextBill}
                </Button>
              )}
              {allDone && backHref && (
                <Link href={backHref}>
                  <Button type="primary" data-testid="pay-back">
                    {backLabel ?? t.billing.backToBills}
                  </Button>
                </Link>
              )}
              {allDone && mode === 'prepaid' && (
                <Button onClick={reset} data-testid="pay-again">
                  {t.billing.payAgain}
                </Button>
              )}
            </Space>
          }
        />
      ) : current ? (
        <ActivePayment
          key={current.paymentId}
          created={current}
          label={itemLabel(index)}
          devSim={devSim}
          onPaid={onPaid}
          onRetry={() => void start(queue[index], queue[index] ? undefined : (rechargeFen ?? undefined))}
          retrying={create.isPending}
        />
      ) : (
        <div className="ps-center" style={{ minHeight: 160 }}>
          {create.isPending ? <Spin /> : null}
        </div>
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginTop: 12 }}
          data-testid="pay-error"
          action={
            <Button
              size="small"
              onClick={() => void start(queue[index], queue[index] ? undefined : (rechargeFen ?? undefined))}
              data-testid="pay-error-retry"
            >
              {t.app.retry}
            </Button>
          }
        />
      )}
      {!justPaid && (
        <Button block style={{ marginTop: 12 }} onClick={reset} data-testid="pay-cancel">
          {t.billing.cancelPay}
        </Button>
      )}
    </Card>
  );
}
