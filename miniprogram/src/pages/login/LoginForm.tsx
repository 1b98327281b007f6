import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { consentStore } from '@/lib/consent';

interface Props {
  /** WeChat login (platform code → auth.wechatLogin → tokens → home). Rejects with a message to show. */
  login: () => Promise<void>;
  /** Opens 用户服务协议 or 隐私政策. */
  openAgreement: (doc: 'terms' | 'privacy') => void;
  message: (err: unknown, fallback: string) => string;
}

/**
 * The login button with the consent step: nobody logs in before agreeing to the 用户服务协议 and 隐私政策.
 * Tapping 微信一键登录 without the box ticked asks once (同意并登录 / 不同意); the consent is kept on the
 * device for this version of the texts.
 */
export function LoginForm({ login, openAgreement, message }: Props) {
  const [agreed, setAgreed] = useState(() => consentStore.given());
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await login();
    } catch (e) {
      setError(message(e, t.login.failed));
    } finally {
      setBusy(false);
    }
  };

  const onLogin = () => {
    if (!agreed) {
      setAsking(true);
      return;
    }
    consentStore.give();
    void run();
  };

  const link = (doc: 'terms' | 'privacy') => (
    <Text
      className="login-link"
      onClick={(e) => {
        (e as { stopPropagation?: () => void } | undefined)?.stopPropagation?.();
        openAgreement(doc);
      }}
    >
      {doc === 'terms' ? t.login.agreement : t.login.privacy}
    </Text>
  );

  return (
    <View>
      <Button id="wx-login" className="btn btn-wechat login-btn" disabled={busy || undefined} onClick={onLogin}>
        {busy ? t.login.loggingIn : t.login.wechatButton}
      </Button>

      {error ? (
        <View className="error-box" id="login-error">
          <Text>{error}</Text>
        </View>
      ) : null}

      <View className="login-consent" id="login-consent">
        <View
          className={`login-check ${agreed ? 'login-check-on' : ''}`}
          id="login-consent-check"
          role="checkbox"
          aria-checked={agreed}
          aria-label={t.login.consentCheck}
          onClick={() => {
            setAgreed(!agreed);
            if (agreed) consentStore.withdraw();
          }}
        >
          <Text>{agreed ? '✓' : ''}</Text>
        </View>
        <Text className="login-agreement" onClick={() => setAgreed(!agreed)}>
          {t.login.agreementPrefix}
          {link('terms')}
          {t.login.and}
          {link('privacy')}
        </Text>
      </View>

      {asking ? (
        <View className="login-mask">
          <View className="login-sheet" id="consent-sheet" role="dialog" aria-label={t.login.consentTitle}>
            <Text className="login-sheet-title">{t.login.consentTitle}</Text>
            <Text className="login-sheet-body">{t.login.consentBody}</Text>
            <View className="login-sheet-links">
              {link('terms')}
              {link('privacy')}
            </View>
            <Button
              id="consent-agree"
              className="btn btn-wechat login-sheet-btn"
              onClick={() => {
                consentStore.give();
                setAgreed(true);
                setAsking(false);
                void run();
              }}
            >
              {t.login.consentAgree}
            </Button>
            <Button
              id="consent-disagree"
              className="btn btn-plain login-sheet-btn"
              onClick={() => {
                setAsking(false);
                setError(t.login.consentNeeded);
              }}
            >
              {t.login.consentDisagree}
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  );
}
