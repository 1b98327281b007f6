import { View, Text } from '@tarojs/components';
import { t } from '@/i18n';
import { errorMessage, trpc } from '@/lib/trpc';
import { PayForForm, type PayForApi } from '@/components/billing/PayForForm';
import Taro from '@tarojs/taro';
import { PayError, PayProgress, PaySuccess } from '@/components/billing/PayStatus';
import { paymentsUrl } from '@/lib/routes';
import { usePaidDocuments, usePayRunner } from '../pay';
import { useState } from 'react';
import '@/components/workorder/workorder.css';
import '@/components/billing/billing.css';

export default function PayForPage() {
  const [formKey, setFormKey] = useState(0);
  const api: PayForApi = { lookup: (number) => trpc.billing.payFor.query({ number }), message: errorMessage };
  const pay = usePayRunner(() => undefined);
  const paidDocs = usePaidDocuments();

  return (
    <View className="page" id="payfor-page">
      <View className="wo-header">
        <Text className="wo-header-title">{t.billing.payForTitle}</Text>
        <Text className="wo-header-sub">{t.billing.payForSubtitle}</Text>
      </View>
      <View className="wo-body">
        {pay.success ? (
          <PaySuccess
            amountFen={pay.success.amountFen}
            kind={pay.success.kind}
            payments={pay.success.payments}
            docs={paidDocs}
            onDone={() => {
              pay.clearSuccess();
              setFormKey((k) => k + 1);
            }}
          />
        ) : null}
        {pay.error ? (
          <PayError
            message={pay.error.message}
            kind={pay.error.kind}
            onRetry={pay.canRetry() ? pay.retry : undefined}
            onHistory={() => void Taro.navigateTo({ url: paymentsUrl() })}
          />
        ) : null}
        {!pay.success ? (
          <PayForForm
            key={formKey}
            api={api}
            busy={pay.busy}
            onPayBills={(info, bills) =>
              void pay.run(
                bills.map((b) => ({ number: info.number, holderNameMasked: info.holderNameMasked, billId: b.id })),
                { kind: 'bill' },
              )
            }
            onRecharge={(info, amountFen) =>
              void pay.run([{ number: info.number, holderNameMasked: info.holderNameMasked, amountFen }], { kind: 'recharge' })
            }
          />
        ) : null}
      </View>
      {pay.stage ? <PayProgress stage={pay.stage} index={pay.progress.index} count={pay.progress.count} /> : null}
    </View>
  );
}
