import { useEffect, useState, type ReactNode } from 'react';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { t } from '@/i18n';
import './workorder.css';
import { groupAccountNumber } from '@/lib/format';
import {
  DESCRIPTION_MAX,
  FAULT_KIND_OPTIONS,
  isDangerKind,
  validateFaultForm,
  type FaultField,
  type FaultFieldError,
  type FaultKind,
} from '@/lib/workorder';
import { PhotoPicker, type PhotoApi, type UploadedPhoto } from './PhotoPicker';
import type { OutageBriefLike } from '@/lib/outage';

export interface FaultAccount {
  id: string;
  number: string;
  holderNameMasked: string;
  addressMasked: string;
}

export interface FaultCreateInput {
  accountId: string;
  faultKind: FaultKind;
  description: string;
  photos: string[];
  /** Omitted: the API uses the phone on file for the account. */
  contactPhone?: string;
}

export interface FaultApi extends PhotoApi {
  /** The masked phone on file for an account number, or null. */
  phoneOnFile(number: string): Promise<string | null>;
  /** `linkedOutage`: the API linked the report to an outage in progress at once (deflection). */
  create(input: FaultCreateInput): Promise<{ id: string; linkedOutage?: OutageBriefLike | null }>;
}

interface Props {
  accounts: FaultAccount[];
  api: FaultApi;
  onCreated: (orderId: string, linkedOutage: OutageBriefLike | null) => void;
  /** Known outage of the chosen account, shown before filing (outage.mine). */
  accountNotice?: (accountId: string) => ReactNode;
  /** Shown under the description as it is typed (knowledge suggestions). */
  descriptionExtra?: (description: string) => ReactNode;
}

export function FaultForm({ accounts, api, onCreated, accountNotice, descriptionExtra }: Props) {
  const [accountId, setAccountId] = useState<string | null>(accounts.length === 1 ? accounts[0]!.id : null);
  const [kind, setKind] = useState<FaultKind | null>(null);
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<UploadedPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  const [phoneOnFile, setPhoneOnFile] = useState<string | null>(null);
  const [phoneLoaded, setPhoneLoaded] = useState(false);
  /** null: use the phone on file. */
  const [contactPhone, setContactPhone] = useState<string | null>(null);
  const [errors, setErrors] = useState<Partial<Record<FaultField, FaultFieldError>>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const account = accounts.find((a) => a.id === accountId) ?? null;

  useEffect(() => {
    let alive = true;
    setPhoneLoaded(false);
    setPhoneOnFile(null);
    if (!account) return;
    api
      .phoneOnFile(account.number)
      .catch(() => null)
      .then((p) => {
        if (!alive) return;
        setPhoneOnFile(p);
        setPhoneLoaded(true);
        // No phone on file: the resident has to type one.
        setContactPhone((cur) => (p ? cur : (cur ?? '')));
      });
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [account?.number]);

  const clearError = (f: FaultField) => {
    if (errors[f]) setErrors((e) => ({ ...e, [f]: undefined }));
  };

  const onSubmit = async () => {
    if (submitting) return;
    setServerError(null);
    const errs = validateFaultForm({
      accountId,
      faultKind: kind,
      description,
      contactPhone,
      hasPhoneOnFile: !!phoneOnFile,
      uploading,
    });
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setSubmitting(true);
    try {
      const input: FaultCreateInput = {
        accountId: accountId!,
        faultKind: kind!,
        description: description.trim(),
        photos: photos.map((p) => p.id),
      };
      if (contactPhone !== null) input.contactPhone = contactPhone.trim();
      const res = await api.create(input);
      onCreated(res.id, res.linkedOutage ?? null);
    } catch (e) {
      setServerError(api.message(e, t.common.unknownError));
    } finally {
      setSubmitting(false);
    }
  };

  const err = (f: FaultField, id: string) =>
    errors[f] ? (
      <Text className="error-text" id={id}>
        {t.form.errors[errors[f]!]}
      </Text>
    ) : null;

  return (
    <View className="wo-form" id="fault-form">
      <View className="card">
        <Text className="wo-label">{t.fault.accountLabel}</Text>
        <View className="wo-accounts">
          {accounts.map((a) => (
            <View
              key={a.id}
              id={`fault-account-${a.number}`}
              className={`wo-account ${accountId === a.id ? 'wo-account-on' : ''}`}
              onClick={() => {
                setAccountId(a.id);
                setContactPhone(null);
                clearError('account');
              }}
            >
              <View className="wo-radio">{accountId === a.id ? <View className="wo-radio-dot" /> : null}</View>
              <View className="wo-account-text">
                <Text className="wo-account-number">{groupAccountNumber(a.number)}</Text>
                <Text className="wo-account-meta">
                  {a.holderNameMasked} · {a.addressMasked}
                </Text>
              </View>
            </View>
          ))}
        </View>
        {err('account', 'fault-account-error')}
        {account && accountNotice ? accountNotice(account.id) : null}
      </View>

      <View className="card">
        <Text className="wo-label">{t.fault.kindLabel}</Text>
        <View className="wo-kinds">
          {FAULT_KIND_OPTIONS.map((k) => (
            <View
              key={k}
              id={`fault-kind-${k}`}
              className={`wo-kind ${kind === k ? 'wo-kind-on' : ''} ${isDangerKind(k) ? 'wo-kind-danger' : ''}`}
              onClick={() => {
                setKind(k);
                clearError('faultKind');
              }}
            >
              <Text className="wo-kind-title">{t.faultKinds[k]}</Text>
              <Text className="wo-kind-hint">{t.faultKindHints[k]}</Text>
            </View>
          ))}
        </View>
        {err('faultKind', 'fault-kind-error')}
        {isDangerKind(kind) ? (
          <View className="wo-safety" id="fault-safety">
            <Text className="wo-safety-title">⚠ {t.fault.safetyTitle}</Text>
            <Text className="wo-safety-text">{t.fault.safetyTip}</Text>
            <Text className="wo-safety-more">{t.fault.safetyMore}</Text>
          </View>
        ) : null}
      </View>

      <View className="card">
        <View className="wo-label-row">
          <Text className="wo-label">{t.fault.descLabel}</Text>
          <Text className="wo-counter">{t.form.counter(Array.from(description).length, DESCRIPTION_MAX)}</Text>
        </View>
        <Textarea
          id="fault-desc"
          className={`wo-textarea ${errors.description ? 'input-error' : ''}`}
          value={description}
          maxlength={DESCRIPTION_MAX}
          placeholder={t.fault.descPlaceholder}
          onInput={(e) => {
            setDescription(e.detail.value);
            clearError('description');
          }}
        />
        {err('description', 'fault-desc-error')}
        {descriptionExtra?.(description)}

        <Text className="wo-label wo-label-gap">{t.fault.photosLabel}</Text>
        <PhotoPicker
          value={photos}
          onChange={(p) => {
            setPhotos(p);
            clearError('photos');
          }}
          onBusy={setUploading}
          api={api}
        />
        {err('photos', 'fault-photos-error')}
      </View>

      <View className="card">
        <Text className="wo-label">{t.fault.contactLabel}</Text>
        {phoneOnFile && contactPhone === null ? (
          <View className="wo-contact" id="fault-contact">
            <Text className="wo-contact-phone" id="fault-contact-masked">
              {phoneOnFile}
            </Text>
            <Text className="wo-contact-tag">{t.fault.contactOnFile}</Text>
            <Text className="wo-link" id="fault-contact-change" onClick={() => setContactPhone('')}>
              {t.fault.contactChange}
            </Text>
          </View>
        ) : (
          <View className="wo-contact-edit">
            <Input
              id="fault-phone"
              className={`input ${errors.contactPhone ? 'input-error' : ''}`}
              type="number"
              maxlength={11}
              placeholder={account && !phoneLoaded ? t.common.loading : t.fault.contactPlaceholder}
              value={contactPhone ?? ''}
              onInput={(e) => {
                setContactPhone(e.detail.value.replace(/\D/g, '').slice(0, 11));
                clearError('contactPhone');
              }}
            />
            {phoneOnFile ? (
              <Text className="wo-link wo-link-block" id="fault-contact-reset" onClick={() => setContactPhone(null)}>
                {t.fault.contactUseOnFile}（{phoneOnFile}）
              </Text>
            ) : null}
          </View>
        )}
        {err('contactPhone', 'fault-phone-error')}
      </View>

      {serverError ? (
        <View className="error-box" id="fault-error">
          <Text>{serverError}</Text>
        </View>
      ) : null}

      <Button id="fault-submit" className="btn btn-primary wo-submit" disabled={submitting || undefined} onClick={() => void onSubmit()}>
        {submitting ? t.fault.submitting : t.fault.submit}
      </Button>
    </View>
  );
}
