import { useCallback, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { errorMessage, trpc, type RouterOutputs } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { groupAccountNumber, normalizeAccountNumber } from '@/lib/format';
import { isAccountNumber } from '@/lib/outage';
import { ROUTES } from '@/lib/routes';
import { OutageCard } from '@/components/outage/OutageCard';
import '@/components/outage/outage.css';

type Mine = RouterOutputs['outage']['mine'][number];
type ListItem = RouterOutputs['outage']['list']['items'][number];
type Region = RouterOutputs['outage']['areas'][number];
type Lookup = RouterOutputs['outage']['byAccountNumber'];

export default function OutagesPage() {
  const [mine, setMine] = useState<Mine[] | null>(null);
  const [mineError, setMineError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [regions, setRegions] = useState<Region[]>([]);
  const [regionId, setRegionId] = useState<string | null>(null);
  const [list, setList] = useState<{ items: ListItem[]; total: number } | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [number, setNumber] = useState('');
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [looking, setLooking] = useState(false);
  const regionRef = useRef<string | null>(null);

  const loadList = useCallback(async (rid: string | null) => {
    setListError(null);
    try {
      const res = await trpc.outage.list.query(rid ? { regionId: rid, days: 7 } : { days: 7 });
      if (regionRef.current === rid) setList(res);
    } catch (e) {
      if (regionRef.current === rid) setListError(errorMessage(e, t.outage.loadFailed));
    }
  }, []);

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    setMineError(null);
    const mineP = trpc.outage.mine
      .query()
      .then(setMine)
      .catch((e) => setMineError(errorMessage(e, t.outage.loadFailed)));
    const regionsP = trpc.outage.areas
      .query()
      .then((r) => setRegions(r.filter((a) => a.kind === 'region')))
      .catch(() => undefined);
    await Promise.all([mineP, regionsP, loadList(regionRef.current)]);
  }, [loadList]);

  useDidShow(() => {
    void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const pickRegion = (rid: string | null) => {
    regionRef.current = rid;
    setRegionId(rid);
    setList(null);
    void loadList(rid);
  };

  const toggleSubscribe = async (m: Mine) => {
    if (busy) return;
    setBusy(m.accountId);
    try {
      // In-app notices only: WeChat subscribe messages need wx.requestSubscribeMessage consent
      // with template ids the API does not expose yet.
      const res = m.subscribed
        ? await trpc.outage.unsubscribe.mutate({ accountId: m.accountId })
        : await trpc.outage.subscribe.mutate({ accountId: m.accountId, channels: ['inapp'] });
      setMine((cur) => cur?.map((x) => (x.accountId === m.accountId ? { ...x, subscribed: res.subscribed, channels: res.channels } : x)) ?? cur);
      void Taro.showToast({ title: res.subscribed ? t.outage.subscribed : t.outage.unsubscribeOk, icon: 'none', duration: 1500 });
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e, t.common.unknownError), icon: 'none', duration: 2000 });
    } finally {
      setBusy(null);
    }
  };

  const doLookup = async () => {
    if (looking) return;
    setLookup(null);
    if (!isAccountNumber(number)) {
      setLookupError(t.outage.lookupBadNumber);
      return;
    }
    setLookupError(null);
    setLooking(true);
    try {
      setLookup(await trpc.outage.byAccountNumber.query({ number: number.trim() }));
    } catch (e) {
      setLookupError(errorMessage(e, t.outage.loadFailed));
    } finally {
      setLooking(false);
    }
  };

  return (
    <View className="page" id="outages-page">
      <View className="og-header">
        <Text className="og-header-title">{t.outage.title}</Text>
        <Text className="og-header-sub">{t.outage.subtitle}</Text>
      </View>
      <View className="og-body">
        <View className="card" id="outage-mine">
          <Text className="og-section-title">{t.outage.mineTitle}</Text>
          {mineError ? (
            <Text className="error-text" id="outage-mine-error">
              {mineError}
            </Text>
          ) : mine === null ? (
            <Text className="center-note">{t.common.loading}</Text>
          ) : mine.length === 0 ? (
            <View id="outage-mine-empty">
              <Text className="card-hint">{t.outage.mineEmpty}</Text>
              <Button className="btn btn-primary" onClick={() => void Taro.navigateTo({ url: ROUTES.bind })}>
                {t.outage.bindButton}
              </Button>
            </View>
          ) : (
            mine.map((m) => (
              <View className="og-account" key={m.accountId} id={`mine-account-${m.number}`}>
                <View className="og-account-head">
                  <View>
                    <Text className="og-account-number">{groupAccountNumber(m.number)}</Text>
                    <Text className="og-account-meta">
                      {m.transformerAreaName ? `${t.outage.area} ${m.transformerAreaName} · ` : ''}
                      {m.addressMasked}
                    </Text>
                  </View>
                  <Button
                    id={`outage-subscribe-${m.number}`}
                    className={`btn btn-small btn-ghost og-sub-btn ${m.subscribed ? 'og-sub-on' : ''}`}
                    disabled={busy === m.accountId || undefined}
                    onClick={() => void toggleSubscribe(m)}
                  >
                    {busy === m.accountId ? t.outage.subscribing : m.subscribed ? t.outage.subscribed : t.outage.subscribe}
                  </Button>
                </View>
                {m.outages.length === 0 ? (
                  <Text className="og-none" id={`mine-none-${m.number}`}>
                    {t.outage.noOutage}
                  </Text>
                ) : (
                  m.outages.map((o) => <OutageCard key={o.id} outage={o} idPrefix={`mine-${m.number}-`} />)
                )}
              </View>
            ))
          )}
        </View>

        <View className="card" id="outage-lookup-card">
          <Text className="og-section-title">{t.outage.lookupTitle}</Text>
          <View className="og-lookup">
            <Input
              id="outage-lookup-number"
              className={`input og-lookup-input ${lookupError ? 'input-error' : ''}`}
              type="number"
              maxlength={13}
              value={number}
              placeholder={t.outage.lookupPlaceholder}
              onInput={(e) => {
                setNumber(normalizeAccountNumber(e.detail.value));
                setLookupError(null);
              }}
              onConfirm={() => void doLookup()}
            />
            <Button
              id="outage-lookup"
              className="btn btn-small btn-primary og-lookup-btn"
              disabled={looking || undefined}
              onClick={() => void doLookup()}
            >
              {t.outage.lookupButton}
            </Button>
          </View>
          {lookupError ? (
            <Text className="error-text" id="outage-lookup-error">
              {lookupError}
            </Text>
          ) : null}
          {lookup ? (
            <View id="outage-lookup-result">
              <Text className="og-account-meta">
                {groupAccountNumber(lookup.number)} · {t.outage.area} {lookup.transformerAreaName}
              </Text>
              {lookup.outages.length === 0 ? (
                <Text className="og-none" id="outage-lookup-none">
                  {t.outage.lookupNone(lookup.transformerAreaName)}
                </Text>
              ) : (
                lookup.outages.map((o) => <OutageCard key={o.id} outage={o} idPrefix="lookup-" />)
              )}
            </View>
          ) : null}
        </View>

        <View className="card" id="outage-list-card">
          <Text className="og-section-title">{t.outage.listTitle}</Text>
          {regions.length > 0 ? (
            <View className="og-chips" id="outage-filter">
              <Text id="outage-filter-all" className={`og-chip ${regionId === null ? 'og-chip-on' : ''}`} onClick={() => pickRegion(null)}>
                {t.outage.allRegions}
              </Text>
              {regions.map((r) => (
                <Text
                  key={r.id}
                  id={`outage-filter-${r.id}`}
                  className={`og-chip ${regionId === r.id ? 'og-chip-on' : ''}`}
                  onClick={() => pickRegion(r.id)}
                >
                  {r.name}
                </Text>
              ))}
            </View>
          ) : null}
          {listError ? (
            <Text className="error-text" id="outage-list-error">
              {listError}
            </Text>
          ) : list === null ? (
            <Text className="center-note">{t.common.loading}</Text>
          ) : list.items.length === 0 ? (
            <Text className="center-note" id="outage-list-empty">
              {t.outage.listEmpty}
            </Text>
          ) : (
            <View id="outage-list">
              <Text className="og-account-meta" id="outage-list-total">
                {t.outage.total(list.total)}
              </Text>
              {list.items.map((o) => (
                <OutageCard key={o.id} outage={o} idPrefix="list-" />
              ))}
            </View>
          )}
        </View>
      </View>
    </View>
  );
}
