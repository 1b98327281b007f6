import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidHide, useDidShow, useRouter, useUnload } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { errorMessage, trpc, type RouterOutputs } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { ROUTES } from '@/lib/routes';
import { RatingForm, Stars } from '@/components/workorder/RatingForm';
import { canPickPdf, uploadPdf, uploadPhotos, type UploadedDoc } from '../api';
import '../apply.css';

type View_ = RouterOutputs['application']['get'];
/** No EventSource in WeChat: the tracker polls while shown. */
const POLL_MS = 10_000;

/** One application: every milestone with its working-day clock, whose turn it is, documents to supply, withdraw, rating. */
export default function TrackerPage() {
  const router = useRouter();
  const id = router.params.id ?? '';
  const [app, setApp] = useState<View_ | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [supplied, setSupplied] = useState<Record<string, UploadedDoc[]>>({});
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    try {
      setApp(await trpc.application.get.query({ id }));
      setError(null);
    } catch (e) {
      setError(errorMessage(e, t.apply.loadFailed));
    }
  }, [id]);
  const stop = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
  };
  useDidShow(() => {
    void load();
    stop();
    timer.current = setInterval(() => void load(), POLL_MS);
  });
  useDidHide(stop);
  useUnload(stop);
  useEffect(() => stop, []);

  const act = async (f: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await f();
      await load();
    } catch (e) {
      setError(errorMessage(e, t.apply.loadFailed));
    } finally {
      setBusy(false);
    }
  };
  const add = (kind: string, label: string, how: 'photo' | 'pdf') =>
    act(async () => {
      const got = how === 'photo' ? await uploadPhotos(3, label) : await uploadPdf(label);
      setSupplied((cur) => ({ ...cur, [kind]: [...(cur[kind] ?? []), ...got] }));
    });
  const chosen = Object.entries(supplied).flatMap(([k, list]) => list.map((d) => ({ kind: k as 'id_card', fileId: d.id })));

  if (!app) return <View className="page">{error ? <Text className="error-text">{error}</Text> : null}</View>;
  return (
    <View className="page">
      <View className="card">
        <View className="ap-row">
          <Text className="ap-title">{t.apply.formTitle(app.kindLabel)}</Text>
          <Text className={`ap-tag ${app.phase === 'waiting_customer' ? 'ap-tag-warn' : app.phase === 'completed' ? 'ap-tag-ok' : ''}`}>
            {app.phaseLabel}
          </Text>
        </View>
        <Text className="ap-muted">{app.orderNo}</Text>
        <Text className="ap-muted">{app.promiseLabel}</Text>
        {app.turnLabel ? <Text className="ap-muted">{t.apply.whoseTurn(app.turnLabel)}</Text> : null}
      </View>

      {app.docRequest && app.phase === 'waiting_customer' ? (
        <View className="ap-alert">
          <Text className="ap-title">{t.apply.waitingTitle}</Text>
          <Text className="ap-muted">{t.apply.waitingDesc(app.docRequest.kindLabels.join('、'))}</Text>
          <Text className="ap-muted">{app.docRequest.note}</Text>
          {app.docRequest.kinds.map((k, i) => (
            <View key={k} className="ap-item">
              <View className="ap-row">
                <Text>{app.docRequest!.kindLabels[i]}</Text>
                {(supplied[k]?.length ?? 0) > 0 ? <Text className="ap-tag ap-tag-ok">{t.apply.uploaded(supplied[k]!.length)}</Text> : null}
              </View>
              <Button className="btn ap-btn" disabled={busy || undefined} onClick={() => void add(k, app.docRequest!.kindLabels[i] ?? '', 'photo')}>
                {t.apply.addPhoto(app.docRequest!.kindLabels[i] ?? '')}
              </Button>
              {canPickPdf() ? (
                <Button className="btn ap-btn" disabled={busy || undefined} onClick={() => void add(k, app.docRequest!.kindLabels[i] ?? '', 'pdf')}>
                  {t.apply.addPdf(app.docRequest!.kindLabels[i] ?? '')}
                </Button>
              ) : null}
            </View>
          ))}
          <Button
            className="btn btn-primary ap-btn"
            disabled={busy || chosen.length === 0 || undefined}
            onClick={() =>
              void act(async () => {
                await trpc.application.supplyDocs.mutate({ orderId: app.id, version: app.version, documents: chosen });
                setSupplied({});
              })
            }
          >
            {t.apply.supply}
          </Button>
        </View>
      ) : null}

      {app.late.length > 0 ? (
        <View className="ap-alert">
          <Text className="ap-title">{t.apply.lateTitle}</Text>
          {app.late.map((l) => (
            <Text key={l.label} className="ap-muted">
              {l.reason}
            </Text>
          ))}
        </View>
      ) : null}
      {app.onTime ? (
        <View className="ap-alert ap-alert-ok">
          <Text className="ap-title">{app.onTimeLabel}</Text>
        </View>
      ) : null}

      <View className="card">
        {app.milestones.map((m) => (
          <View
            key={m.key}
            id={`milestone-${m.key}`}
            className={`ap-ms ${m.state === 'done' ? 'ap-ms-done' : m.state === 'paused' ? 'ap-ms-paused' : m.state === 'running' ? (m.late ? 'ap-ms-late' : 'ap-ms-running') : ''}`}
          >
            <View className="ap-row">
              <Text className="ap-title">{m.label}</Text>
              <Text className="ap-muted">{m.stateLabel}</Text>
            </View>
            <Text className="ap-muted">{t.apply.workingDays(m.workingDays)}</Text>
            {m.dueLabel && !m.doneLabel ? <Text className="ap-muted">{t.apply.due(m.dueLabel)}</Text> : null}
            {m.doneLabel ? <Text className="ap-muted">{t.apply.doneAt(m.doneLabel)}</Text> : null}
            {m.scheduledLabel ? <Text className="ap-muted">{t.apply.scheduled(m.scheduledLabel)}</Text> : null}
            {m.daysLeftLabel ? <Text className="ap-muted">{m.daysLeftLabel}</Text> : null}
            {m.note ? <Text className="ap-muted">{m.note}</Text> : null}
          </View>
        ))}
      </View>

      {app.canRate ? (
        <RatingForm
          message={errorMessage}
          onSubmit={async (stars, comment) => {
            await trpc.workorder.rate.mutate({ orderId: app.id, version: app.version, stars, comment: comment || null });
            await load();
          }}
        />
      ) : null}
      {app.rating ? (
        <View className="card">
          <Text>{t.apply.rated(app.rating.stars)}</Text>
          <Stars value={app.rating.stars} />
        </View>
      ) : null}

      <View className="card">
        <Text className="ap-title">{t.apply.docsTitle}</Text>
        {app.documents.map((d) => (
          <Text key={d.fileId} className="ap-muted">
            {d.kindLabel} · {d.name}
          </Text>
        ))}
      </View>

      <View className="card">
        <Text className="ap-title">{t.apply.history}</Text>
        {[...app.history].reverse().map((h) => (
          <View key={`${h.at}-${h.text}`} className="ap-item">
            <Text className="ap-muted">
              {h.atLabel} · {h.who}
            </Text>
            <Text>{h.text}</Text>
          </View>
        ))}
      </View>

      {error ? <Text className="error-text">{error}</Text> : null}
      {app.actions.includes('withdraw') ? (
        <Button
          className="btn ap-btn"
          disabled={busy || undefined}
          onClick={() =>
            void Taro.showModal({ content: t.apply.withdrawConfirm }).then((r) => {
              if (r.confirm) void act(() => trpc.application.withdraw.mutate({ orderId: app.id, version: app.version }));
            })
          }
        >
          {t.apply.withdraw}
        </Button>
      ) : null}
    </View>
  );
}
