import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidHide, useDidShow, useRouter, useUnload } from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { API_BASE } from '@/config';
import { fileUrl } from '@/lib/files';
import { errorMessage, trpc, type RouterOutputs } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { groupAccountNumber } from '@/lib/format';
import { ROUTES } from '@/lib/routes';
import { DISSATISFIED_MAX_STARS, formatDateTime, statusTone } from '@/lib/workorder';
import { Progress } from '@/components/workorder/Progress';
import { Timeline } from '@/components/workorder/Timeline';
import { RatingForm, Stars } from '@/components/workorder/RatingForm';
import { OutageNotice } from '@/components/outage/OutageCard';
import { linkedOutageHandoff, type OutageBriefLike } from '@/lib/outage';
import './index.css';

type Detail = RouterOutputs['workorder']['get'];

/** The WeChat runtime has no EventSource: the detail polls while the page is shown. */
const POLL_MS = 10_000;

export default function OrderPage() {
  const router = useRouter();
  const orderId = router.params.id ?? '';
  const [order, setOrder] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The outage this report was linked/merged into (order.incidentId = outage id); the fault form hands it over at once. */
  const [outage, setOutage] = useState<OutageBriefLike | null>(() => linkedOutageHandoff.get(orderId));
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const inFlight = useRef(false);

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    if (!orderId || inFlight.current) return;
    inFlight.current = true;
    try {
      const o = await trpc.workorder.get.query({ orderId });
      setOrder(o);
      setError(null);
      if (o.incidentId && o.incidentId !== o.id) {
        // Live phase/ETR of the outage (public read); a failure keeps what is shown.
        trpc.outage.get
          .query({ outageId: o.incidentId })
          .then(setOutage)
          .catch(() => undefined);
      }
    } catch (e) {
      setError(errorMessage(e, t.order.loadFailed));
    } finally {
      inFlight.current = false;
    }
  }, [orderId]);

  const stop = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
  };
  const start = () => {
    stop();
    timer.current = setInterval(() => void load(), POLL_MS);
  };

  useDidShow(() => {
    void load();
    start();
  });
  useDidHide(stop);
  useUnload(stop);
  useEffect(() => stop, []);

  // Signed links to the photos shown to the customer (their own and the crew's); asked again when new ones appear.
  const photoIds = order ? [...new Set(order.timeline.flatMap((e) => e.attachments))].join(',') : '';
  const [photos, setPhotos] = useState<{ ids: string; urls: string[] }>({ ids: '', urls: [] });
  useEffect(() => {
    if (!photoIds || photoIds === photos.ids) return;
    trpc.workorder.photoLinks
      .query({ orderId })
      .then((links) => setPhotos({ ids: photoIds, urls: links.map((l) => fileUrl(API_BASE, l.url)) }))
      .catch(() => undefined);
  }, [photoIds, photos.ids, orderId]);

  const rate = async (stars: number, comment: string) => {
    if (!order) return;
    try {
      const updated = await trpc.workorder.rate.mutate({ orderId: order.id, version: order.version, stars, comment: comment || null });
      setOrder(updated);
      void Taro.showToast({ title: t.order.rateThanks, icon: 'success', duration: 1200 });
    } catch (e) {
      void load();
      throw e;
    }
  };

  if (!order) {
    return (
      <View className="page">
        <View className="wo-header od-header" />
        <View className="wo-body">
          <View className="card" id={error ? 'order-error' : undefined}>
            {error ? (
              <View>
                <Text className="card-hint">{error}</Text>
                <Button className="btn btn-primary wo-submit" onClick={() => void load()}>
                  {t.common.retry}
                </Button>
              </View>
            ) : (
              <Text className="center-note">{t.common.loading}</Text>
            )}
          </View>
        </View>
      </View>
    );
  }

  const subject = order.faultKind ? t.faultKinds[order.faultKind] : order.category;
  const canRate = order.actions.includes('visit');
  const lowRating = order.rating && order.rating.stars <= DISSATISFIED_MAX_STARS && order.reopenCount > 0;

  return (
    <View className="page order-page" id="order-detail">
      <View className="wo-header od-header">
        <View className="od-head-row">
          <Text className="wo-header-title" id="order-title">
            {order.typeLabel}
            {subject ? ` · ${subject}` : ''}
          </Text>
          <Text className={`badge od-status wo-status-${statusTone(order.status)}`} id="order-status">
            {order.statusLabel}
          </Text>
        </View>
        <Text className="wo-header-sub">
          {t.order.orderNo} <Text id="order-no">{order.orderNo}</Text>
        </Text>
      </View>

      <View className="wo-body">
        {outage ? (
          <View className="card od-outage">
            <OutageNotice outage={outage} id="order-outage" linked />
          </View>
        ) : null}
        {order.progress || lowRating || order.reopenCount > 0 ? (
          <View className="card od-progress">
            {order.progress ? <Progress progress={order.progress} /> : null}
            {order.reopenCount > 0 ? (
              <View className="wo-notice" id="order-reopened">
                <Text>{lowRating ? t.order.lowRateNotice : t.order.reopened(order.reopenCount)}</Text>
              </View>
            ) : null}
            <Text className="od-refresh">{t.order.refreshHint}</Text>
          </View>
        ) : null}

        {canRate ? <RatingForm key={order.version} onSubmit={rate} message={errorMessage} /> : null}

        {order.rating && !canRate ? (
          <View className="card" id="order-rating">
            <Text className="card-title">{t.order.rated}</Text>
            <View className="od-rated">
              <Stars value={order.rating.stars} />
              <Text className="wo-rate-label" id="order-rating-stars">
                {order.rating.stars} 星 · {t.order.starLabels[order.rating.stars - 1]}
              </Text>
            </View>
            {order.rating.comment ? <Text className="od-text">{order.rating.comment}</Text> : null}
          </View>
        ) : null}

        {order.resolution ? (
          <View className="card" id="order-resolution">
            <Text className="card-title">{t.order.resolution}</Text>
            <Text className="od-text">{order.resolution}</Text>
          </View>
        ) : null}

        <View className="card">
          <Text className="card-title">{t.order.timeline}</Text>
          <View className="od-timeline">
            <Timeline items={order.timeline} />
          </View>
        </View>

        <View className="card od-info">
          {order.accountNumber ? <Row k={t.order.account} v={groupAccountNumber(order.accountNumber)} /> : null}
          {order.transformerAreaName ? <Row k={t.order.area} v={order.transformerAreaName} /> : null}
          {order.contactPhoneMasked ? <Row k={t.order.contact} v={order.contactPhoneMasked} /> : null}
          <Row k={t.order.createdAt} v={formatDateTime(order.createdAt)} />
          <Text className="od-desc-label">{t.order.description}</Text>
          <Text className="od-text" id="order-description">
            {order.description}
          </Text>
          {order.photos.length > 0 ? <Text className="od-photos">{t.order.photosCount(order.photos.length)}</Text> : null}
        </View>

        {photos.urls.length > 0 ? (
          <View className="card" id="order-photos">
            <Text className="card-title">{t.order.photos}</Text>
            <View className="od-photo-grid">
              {photos.urls.map((url, i) => (
                <Image
                  key={url}
                  id={`order-photo-${i}`}
                  className="od-photo"
                  src={url}
                  mode="aspectFill"
                  onClick={() => void Taro.previewImage({ urls: photos.urls, current: url })}
                />
              ))}
            </View>
          </View>
        ) : null}
      </View>
    </View>
  );
}

function Row({ k, v }: { k: string; v: string }) {
  return (
    <View className="od-row">
      <Text className="od-row-k">{k}</Text>
      <Text className="od-row-v">{v}</Text>
    </View>
  );
}
