import { useEffect, useRef, useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { groupAccountNumber, normalizeAccountNumber, validateAccountNumber, validateHolderName, validateSmsCode } from '@/lib/format';

export type Relation = 'self' | 'family' | 'tenant';
export type BindMethod = 'name' | 'sms';

export interface LookupResult {
  number: string;
  holderNameMasked: string;
  /** Whether a code can be sent to a phone on file (its digits appear only once a code was sent). */
  phoneOnFile: boolean;
}

/** Server calls the form needs; injected so the form renders in tests without a server. */
export interface BindApi {
  lookup(number: string): Promise<LookupResult>;
  bind(input: { number: string; holderName: string; relation: Relation }): Promise<unknown>;
  sendCode(number: string): Promise<{ phoneMasked: string }>;
  bindWithCode(input: { number: string; code: string; relation: Relation }): Promise<unknown>;
  /** Turns a thrown error into the message to show (server errors are Chinese already). */
  message(err: unknown, fallback: string): string;
}

const RELATIONS: Relation[] = ['self', 'family', 'tenant'];
const RESEND_SECONDS = 60;

export function BindForm({ api, onBound }: { api: BindApi; onBound: () => void }) {
  const [number, setNumber] = useState('');
  const [numberError, setNumberError] = useState<string | null>(null);
  const [found, setFound] = useState<LookupResult | null>(null);
  const [method, setMethod] = useState<BindMethod>('name');
  const [holder, setHolder] = useState('');
  const [relation, setRelation] = useState<Relation>('self');
  const [code, setCode] = useState('');
  const [codeSentTo, setCodeSentTo] = useState<string | null>(null);
  const [countdown, setCountdown] = useState(0);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'lookup' | 'send' | 'submit' | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearInterval(timer.current);
    },
    [],
  );

  const startCountdown = () => {
    setCountdown(RESEND_SECONDS);
    if (timer.current) clearInterval(timer.current);
    timer.current = setInterval(() => {
      setCountdown((s) => {
        if (s <= 1 && timer.current) {
          clearInterval(timer.current);
          timer.current = null;
        }
        return Math.max(0, s - 1);
      });
    }, 1000);
  };

  const onLookup = async () => {
    const err = validateAccountNumber(number);
    if (err) {
      setNumberError(t.bind.errors[err]);
      return;
    }
    setNumberError(null);
    setServerError(null);
    setBusy('lookup');
    try {
      const res = await api.lookup(number);
      setFound(res);
      setHolder('');
      setCode('');
      setCodeSentTo(null);
      setFieldError(null);
      setMethod('name');
    } catch (e) {
      setNumberError(api.message(e, t.bind.errors.notFound));
    } finally {
      setBusy(null);
    }
  };

  const onChangeNumber = () => {
    setFound(null);
    setServerError(null);
    setFieldError(null);
  };

  const onSendCode = async () => {
    if (!found || countdown > 0) return;
    setServerError(null);
    setBusy('send');
    try {
      const res = await api.sendCode(found.number);
      setCodeSentTo(res.phoneMasked);
      startCountdown();
    } catch (e) {
      setServerError(api.message(e, t.common.unknownError));
    } finally {
      setBusy(null);
    }
  };

  const onSubmit = async () => {
    if (!found || busy) return;
    setServerError(null);
    if (method === 'name') {
      const err = validateHolderName(holder);
      if (err) {
        setFieldError(err === 'empty' ? t.bind.errors.holderEmpty : t.bind.errors.holderInvalid);
        return;
      }
    } else if (!validateSmsCode(code)) {
      setFieldError(t.bind.errors.codeInvalid);
      return;
    }
    setFieldError(null);
    setBusy('submit');
    try {
      if (method === 'name') await api.bind({ number: found.number, holderName: holder.trim(), relation });
      else await api.bindWithCode({ number: found.number, code: code.trim(), relation });
      onBound();
    } catch (e) {
      setServerError(api.message(e, t.common.unknownError));
    } finally {
      setBusy(null);
    }
  };

  const step = found ? 2 : 1;

  return (
    <View className="bind-form">
      <View className="bind-steps">
        <View className={`bind-step ${step >= 1 ? 'bind-step-on' : ''}`}>
          <Text className="bind-step-dot">1</Text>
          <Text className="bind-step-text">{t.bind.stepNumber}</Text>
        </View>
        <View className={`bind-step-line ${step >= 2 ? 'bind-step-line-on' : ''}`} />
        <View className={`bind-step ${step >= 2 ? 'bind-step-on' : ''}`}>
          <Text className="bind-step-dot">2</Text>
          <Text className="bind-step-text">{t.bind.stepVerify}</Text>
        </View>
      </View>

      {!found ? (
        <View className="card">
          <Text className="field-label">{t.bind.numberLabel}</Text>
          <Input
            id="bind-number"
            className={`input bind-number-input ${numberError ? 'input-error' : ''}`}
            type="number"
            maxlength={13}
            placeholder={t.bind.numberPlaceholder}
            value={number}
            onInput={(e) => {
              setNumber(normalizeAccountNumber(e.detail.value));
              if (numberError) setNumberError(null);
            }}
            onConfirm={() => void onLookup()}
          />
          {numberError ? (
            <Text className="error-text" id="bind-number-error">
              {numberError}
            </Text>
          ) : (
            <Text className="field-hint">{t.bind.numberHint}</Text>
          )}
          <Button
            id="bind-lookup"
            className="btn btn-primary bind-main-btn"
            disabled={busy === 'lookup' || undefined}
            onClick={() => void onLookup()}
          >
            {busy === 'lookup' ? t.bind.lookingUp : t.bind.lookup}
          </Button>
        </View>
      ) : (
        <View className="card">
          <View className="bind-found">
            <View className="bind-found-main">
              <Text className="bind-found-label">{t.bind.found}</Text>
              <Text className="bind-found-number" id="bind-found-number">
                {groupAccountNumber(found.number)}
              </Text>
              <Text className="bind-found-holder" id="bind-holder-masked">
                {t.bind.holderMasked(found.holderNameMasked)}
              </Text>
            </View>
            <Text className="bind-change" id="bind-change" onClick={onChangeNumber}>
              {t.bind.changeNumber}
            </Text>
          </View>

          <View className="bind-tabs">
            <View
              id="bind-method-name"
              className={`bind-tab ${method === 'name' ? 'bind-tab-on' : ''}`}
              onClick={() => {
                setMethod('name');
                setFieldError(null);
                setServerError(null);
              }}
            >
              <Text>{t.bind.methodName}</Text>
            </View>
            <View
              id="bind-method-sms"
              className={`bind-tab ${method === 'sms' ? 'bind-tab-on' : ''}`}
              onClick={() => {
                setMethod('sms');
                setFieldError(null);
                setServerError(null);
              }}
            >
              <Text>{t.bind.methodSms}</Text>
            </View>
          </View>

          {method === 'name' ? (
            <View className="field">
              <Text className="field-label">{t.bind.holderLabel}</Text>
              <Input
                id="bind-holder"
                className={`input ${fieldError ? 'input-error' : ''}`}
                type="text"
                maxlength={20}
                placeholder={t.bind.holderPlaceholder}
                value={holder}
                onInput={(e) => {
                  setHolder(e.detail.value);
                  if (fieldError) setFieldError(null);
                }}
              />
              {fieldError ? (
                <Text className="error-text" id="bind-field-error">
                  {fieldError}
                </Text>
              ) : (
                <Text className="field-hint">{t.bind.holderHint}</Text>
              )}
            </View>
          ) : (
            <View className="field">
              {found.phoneOnFile ? (
                <Text className="field-hint bind-sms-hint">{codeSentTo ? t.bind.codeSent(codeSentTo) : t.bind.smsHint}</Text>
              ) : (
                <Text className="field-hint bind-sms-hint">{t.bind.smsNoPhone}</Text>
              )}
              <Text className="field-label">{t.bind.codeLabel}</Text>
              <View className="bind-code-row">
                <Input
                  id="bind-code"
                  className={`input bind-code-input ${fieldError ? 'input-error' : ''}`}
                  type="number"
                  maxlength={6}
                  placeholder={t.bind.codePlaceholder}
                  value={code}
                  onInput={(e) => {
                    setCode(e.detail.value.replace(/\D/g, '').slice(0, 6));
                    if (fieldError) setFieldError(null);
                  }}
                />
                <Button
                  id="bind-send-code"
                  className="btn btn-ghost btn-small bind-send"
                  disabled={!found.phoneOnFile || countdown > 0 || busy === 'send' || undefined}
                  onClick={() => void onSendCode()}
                >
                  {busy === 'send' ? t.bind.sending : countdown > 0 ? t.bind.resendIn(countdown) : t.bind.sendCode}
                </Button>
              </View>
              {fieldError ? (
                <Text className="error-text" id="bind-field-error">
                  {fieldError}
                </Text>
              ) : null}
            </View>
          )}

          <View className="field">
            <Text className="field-label">{t.bind.relationLabel}</Text>
            <View className="bind-relations">
              {RELATIONS.map((r) => (
                <View
                  key={r}
                  id={`bind-relation-${r}`}
                  className={`bind-relation ${relation === r ? 'bind-relation-on' : ''}`}
                  onClick={() => setRelation(r)}
                >
                  <Text>{t.bind.relations[r]}</Text>
                </View>
              ))}
            </View>
          </View>

          {serverError ? (
            <View className="error-box" id="bind-error">
              <Text>{serverError}</Text>
            </View>
          ) : null}

          <Button
            id="bind-submit"
            className="btn btn-primary bind-main-btn"
            disabled={busy === 'submit' || undefined}
            onClick={() => void onSubmit()}
          >
            {busy === 'submit' ? t.bind.submitting : t.bind.submit}
          </Button>
        </View>
      )}
    </View>
  );
}
