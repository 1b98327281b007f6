import { useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { formatFen } from '@/lib/format';
import { invoiceTitleOf, type InvoiceTitleInput } from '@/lib/billing';
import '@/components/workorder/workorder.css';
import './billing.css';

export interface InvoiceApi {
  request: (title: InvoiceTitleInput) => Promise<{ invoiceNo: string }>;
  message: (err: unknown, fallback: string) => string;
}

/** The buyer title (发票抬头) for a paid payment's e-invoice: 个人 (name) or 单位 (name + credit code). */
export function InvoiceForm({
  api,
  amountFen,
  onIssued,
  onCancel,
}: {
  api: InvoiceApi;
  amountFen: number;
  onIssued: (invoiceNo: string) => void;
  onCancel: () => void;
}) {
  const [type, setType] = useState<'personal' | 'company'>('personal');
  const [name, setName] = useState('');
  const [taxId, setTaxId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    const title = invoiceTitleOf(type, name, taxId);
    if (typeof title === 'string') {
      setError(t.billing.invoiceErrors[title]);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      onIssued((await api.request(title)).invoiceNo);
    } catch (e) {
      setError(api.message(e, t.billing.invoiceFailed));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="card" id="invoice-form">
      <Text className="card-title">{t.billing.invoiceFormTitle}</Text>
      <Text className="card-hint">{t.billing.invoiceFormHint(formatFen(amountFen))}</Text>
      <View className="wo-chips">
        {(['personal', 'company'] as const).map((k) => (
          <Text key={k} id={`invoice-type-${k}`} className={`wo-chip ${type === k ? 'wo-chip-on' : ''}`} onClick={() => setType(k)}>
            {t.billing.invoiceTypes[k]}
          </Text>
        ))}
      </View>
      <Text className="field-label">{t.billing.invoiceName[type]}</Text>
      <Input id="invoice-name" className="input" value={name} maxlength={type === 'company' ? 100 : 50} onInput={(e) => setName(e.detail.value)} />
      {type === 'company' ? (
        <View>
          <Text className="field-label">{t.billing.invoiceTaxId}</Text>
          <Input id="invoice-tax-id" className="input" value={taxId} maxlength={18} onInput={(e) => setTaxId(e.detail.value)} />
        </View>
      ) : null}
      {error ? (
        <Text className="error-text" id="invoice-error">
          {error}
        </Text>
      ) : null}
      <View className="bl-actions">
        <Button className="btn" onClick={onCancel}>
          {t.common.cancel}
        </Button>
        <Button id="invoice-submit" className="btn btn-primary" disabled={busy || undefined} onClick={() => void submit()}>
          {busy ? t.billing.invoiceSubmitting : t.billing.invoiceSubmit}
        </Button>
      </View>
    </View>
  );
}
