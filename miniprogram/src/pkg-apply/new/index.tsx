import { useMemo, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { APPLICATION_KIND_LABELS, CAPACITY_DIRECTION_LABELS } from '@power/api/labels';
import { t } from '@/i18n';
import { errorMessage, trpc, type AccountSummary, type RouterOutputs } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { groupAccountNumber } from '@/lib/format';
import { ROUTES } from '@/lib/routes';
import { newRequestId } from '@/lib/workorder';
import { canPickPdf, trackerUrl, uploadPdf, uploadPhotos, type UploadedDoc } from '../api';
import '../apply.css';
import '@/components/workorder/workorder.css';

type Kind = 'new_connection' | 'capacity_change' | 'meter_check' | 'name_change';
type Spec = RouterOutputs['application']['formSpec'];
const KINDS: readonly Kind[] = ['new_connection', 'capacity_change', 'meter_check', 'name_change'];

/** The application form of one kind: what the business needs, and its documents as photos (or PDFs in WeChat). */
export default function ApplicationFormPage() {
  const router = useRouter();
  const kind: Kind = KINDS.includes(router.params.kind as Kind) ? (router.params.kind as Kind) : 'meter_check';
  const requestId = useMemo(() => newRequestId(), []);
  const [spec, setSpec] = useState<Spec | null>(null);
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [accountId, setAccountId] = useState<string | null>(null);
  const [address, setAddress] = useState('');
  const [capacity, setCapacity] = useState('');
  const [direction, setDirection] = useState<'increase' | 'decrease'>('increase');
  const [newHolder, setNewHolder] = useState('');
  const [reason, setReason] = useState('');
  const [contactName, setContactName] = useState('');
  const [contactPhone, setContactPhone] = useState('');
  const [docs, setDocs] = useState<Record<string, UploadedDoc[]>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useDidShow(() => {
    if (!tokenStore.isLoggedIn()) {
      void Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    Promise.all([trpc.application.formSpec.query({ kind }), trpc.account.list.query(), trpc.auth.me.query()])
      .then(([s, list, me]) => {
        setSpec(s);
        setAccounts(list);
        if (list.length === 1) setAccountId(list[0]!.id);
        setContactName((c) => c || (me.displayName !== '微信用户' ? me.displayName : ''));
      })
      .catch((e) => setError(errorMessage(e, t.apply.loadFailed)));
  });

  const add = async (docKind: string, label: string, how: 'photo' | 'pdf') => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const got = how === 'photo' ? await uploadPhotos(3, label) : await uploadPdf(label);
      setDocs((cur) => ({ ...cur, [docKind]: [...(cur[docKind] ?? []), ...got] }));
    } catch (e) {
      setError(errorMessage(e, t.apply.loadFailed));
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!spec || busy) return;
    setError(null);
    if (spec.needs.account && !accountId) return setError(t.apply.missingAccount);
    if (spec.needs.address && !address.trim()) return setError(t.apply.missingField(t.apply.address));
    if (spec.needs.capacity && !(Number(capacity) > 0)) return setError(t.apply.missingField(t.apply.capacity));
    if (spec.needs.newHolder && !newHolder.trim()) return setError(t.apply.missingField(t.apply.newHolder));
    if (!reason.trim()) return setError(t.apply.missingField(t.apply.reason));
    if (!contactName.trim()) return setError(t.apply.missingField(t.apply.contactName));
    if (!/^1[3-9]\d{9}$/.test(contactPhone)) return setError(t.apply.phoneInvalid);
    const missing = spec.documents.find((d) => d.required && !(docs[d.kind]?.length > 0));
    if (missing) return setError(t.apply.missingDoc(missing.label));
    setBusy(true);
    try {
      const r = await trpc.application.submit.mutate({
        kind,
        accountId,
        address: address.trim() || null,
        capacityKva: spec.needs.capacity ? Math.round(Number(capacity)) : null,
        capacityDirection: kind === 'capacity_change' ? direction : null,
        newHolderName: newHolder.trim() || null,
        reason: reason.trim(),
        contactName: contactName.trim(),
        contactPhone,
        documents: Object.entries(docs).flatMap(([k, list]) => list.map((d) => ({ kind: k as 'id_card', fileId: d.id }))),
        channel: 'miniprogram',
        requestId,
      });
      await Taro.redirectTo({ url: trackerUrl(r.id) });
    } catch (e) {
      setError(errorMessage(e, t.apply.loadFailed));
    } finally {
      setBusy(false);
    }
  };

  if (!spec) return <View className="page">{error ? <Text className="error-text">{error}</Text> : null}</View>;
  return (
    <View className="page">
      <View className="card">
        <Text className="ap-title">{t.apply.formTitle(APPLICATION_KIND_LABELS[kind])}</Text>
        {spec.needs.account ? (
          <View>
            <Text className="ap-label">{t.apply.account}</Text>
            <View className="wo-chips">
              {accounts.map((a) => (
                <View
                  key={a.id}
                  id={`apply-account-${a.number}`}
                  className={`wo-chip ${accountId === a.id ? 'wo-chip-on' : ''}`}
                  onClick={() => setAccountId(a.id)}
                >
                  <Text>{groupAccountNumber(a.number)}</Text>
                </View>
              ))}
            </View>
          </View>
        ) : null}
        {spec.needs.address ? (
          <View>
            <Text className="ap-label">{t.apply.address}</Text>
            <Input
              id="apply-address"
              className="ap-input"
              value={address}
              placeholder={t.apply.addressPh}
              onInput={(e) => setAddress(e.detail.value)}
            />
          </View>
        ) : null}
        {kind === 'capacity_change' ? (
          <View>
            <Text className="ap-label">{t.apply.direction}</Text>
            <View className="wo-chips">
              {(['increase', 'decrease'] as const).map((d) => (
                <View key={d} className={`wo-chip ${direction === d ? 'wo-chip-on' : ''}`} onClick={() => setDirection(d)}>
                  <Text>{CAPACITY_DIRECTION_LABELS[d]}</Text>
                </View>
              ))}
            </View>
          </View>
        ) : null}
        {spec.needs.capacity ? (
          <View>
            <Text className="ap-label">{t.apply.capacity}</Text>
            <Input id="apply-capacity" className="ap-input" type="number" value={capacity} onInput={(e) => setCapacity(e.detail.value)} />
          </View>
        ) : null}
        {spec.needs.newHolder ? (
          <View>
            <Text className="ap-label">{t.apply.newHolder}</Text>
            <Input id="apply-new-holder" className="ap-input" value={newHolder} onInput={(e) => setNewHolder(e.detail.value)} />
          </View>
        ) : null}
        <Text className="ap-label">{t.apply.reason}</Text>
        <Textarea
          id="apply-reason"
          className="wo-textarea"
          value={reason}
          maxlength={500}
          placeholder={t.apply.reasonPh}
          onInput={(e) => setReason(e.detail.value)}
        />
        <Text className="ap-label">{t.apply.contactName}</Text>
        <Input id="apply-contact-name" className="ap-input" value={contactName} onInput={(e) => setContactName(e.detail.value)} />
        <Text className="ap-label">{t.apply.contactPhone}</Text>
        <Input
          id="apply-contact-phone"
          className="ap-input"
          type="number"
          maxlength={11}
          value={contactPhone}
          onInput={(e) => setContactPhone(e.detail.value)}
        />
      </View>
      <View className="card">
        <Text className="ap-title">{t.apply.documents}</Text>
        <Text className="ap-muted">{t.apply.docsHint}</Text>
        {spec.documents
          .filter((d) => d.required || d.kind === 'other')
          .map((d) => (
            <View key={d.kind} className="ap-item">
              <View className="ap-row">
                <Text>
                  {d.label}
                  {d.required ? ' *' : ''}
                </Text>
                {(docs[d.kind]?.length ?? 0) > 0 ? <Text className="ap-tag ap-tag-ok">{t.apply.uploaded(docs[d.kind]!.length)}</Text> : null}
              </View>
              <Button className="btn ap-btn" disabled={busy || undefined} onClick={() => void add(d.kind, d.label, 'photo')}>
                {t.apply.addPhoto(d.label)}
              </Button>
              {canPickPdf() ? (
                <Button className="btn ap-btn" disabled={busy || undefined} onClick={() => void add(d.kind, d.label, 'pdf')}>
                  {t.apply.addPdf(d.label)}
                </Button>
              ) : null}
            </View>
          ))}
      </View>
      {error ? (
        <Text className="error-text" id="apply-error">
          {error}
        </Text>
      ) : null}
      <Button id="apply-submit" className="btn btn-primary" disabled={busy || undefined} onClick={() => void submit()}>
        {t.apply.submit}
      </Button>
    </View>
  );
}
