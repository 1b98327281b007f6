import { useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { platform, PlatformError, type PhoneNumberEvent } from '@/platform';
import { validatePhone } from '@/lib/format';
import './PhoneAuth.css';

interface Props {
  /** Receives the phone code (for auth.wechatPhone). */
  onCode: (code: string) => Promise<void> | void;
  onError: (message: string) => void;
  busy?: boolean;
}

/**
 * "授权手机号": the native getPhoneNumber button on weapp; on H5 a small form that
 * asks the WeChat simulator for a phone code.
 */
export function PhoneAuth({ onCode, onError, busy }: Props) {
  const [open, setOpen] = useState(false);
  const [phone, setPhone] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  if (platform.phoneInput === 'wechat-button') {
    const onGetPhoneNumber = async (e: PhoneNumberEvent) => {
      try {
        const code = await platform.getPhoneCode({ kind: 'event', event: e });
        await onCode(code);
      } catch (err) {
        if (err instanceof PlatformError && err.reason === 'denied') return;
        onError(t.home.phoneFailed);
      }
    };
    return (
      <Button
        id="phone-auth"
        className="btn btn-ghost btn-small"
        openType="getPhoneNumber"
        disabled={busy || undefined}
        onGetPhoneNumber={onGetPhoneNumber as never}
      >
        {t.home.phoneButton}
      </Button>
    );
  }

  const submit = async () => {
    if (!validatePhone(phone)) {
      setFormError(t.phoneForm.invalid);
      return;
    }
    setSending(true);
    setFormError(null);
    try {
      const code = await platform.getPhoneCode({ kind: 'phone', phone });
      setOpen(false);
      await onCode(code);
    } catch {
      setFormError(t.home.phoneFailed);
    } finally {
      setSending(false);
    }
  };

  return (
    <View>
      <Button id="phone-auth" className="btn btn-ghost btn-small" disabled={busy || undefined} onClick={() => setOpen(true)}>
        {t.home.phoneButton}
      </Button>
      {open ? (
        <View className="phone-mask">
          <View className="phone-sheet" id="phone-form">
            <Text className="card-title">{t.phoneForm.title}</Text>
            <Text className="card-hint">{t.phoneForm.hint}</Text>
            <Input
              id="phone-input"
              className={`input phone-input ${formError ? 'input-error' : ''}`}
              type="number"
              maxlength={11}
              placeholder={t.phoneForm.placeholder}
              value={phone}
              onInput={(e) => setPhone(e.detail.value)}
            />
            {formError ? <Text className="error-text">{formError}</Text> : null}
            <View className="phone-actions">
              <Button className="btn btn-plain phone-action" onClick={() => setOpen(false)}>
                {t.phoneForm.cancel}
              </Button>
              <Button id="phone-submit" className="btn btn-primary phone-action" disabled={sending || undefined} onClick={submit}>
                {t.phoneForm.submit}
              </Button>
            </View>
          </View>
        </View>
      ) : null}
    </View>
  );
}
