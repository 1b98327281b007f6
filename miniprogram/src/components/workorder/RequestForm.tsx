import { type ReactNode, useState } from 'react';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { t } from '@/i18n';
import './workorder.css';
import { groupAccountNumber } from '@/lib/format';
import { DESCRIPTION_MAX, REQUEST_TYPES, validateDescription, type RequestType } from '@/lib/workorder';

export interface RequestCategories {
  type: string;
  categories: string[];
}

export interface RequestAccount {
  id: string;
  number: string;
}

export interface RequestCreateInput {
  type: RequestType;
  category: string;
  description: string;
  accountId?: string;
}

export interface RequestApi {
  create(input: RequestCreateInput): Promise<{ id: string }>;
  message(err: unknown, fallback: string): string;
}

interface Props {
  /** workorder.categories */
  categories: RequestCategories[];
  accounts: RequestAccount[];
  api: RequestApi;
  initialType?: RequestType;
  onCreated: (orderId: string) => void;
  /** Shown under the description as it is typed (knowledge suggestions). */
  descriptionExtra?: (description: string, type: RequestType) => ReactNode;
}

type Field = 'category' | 'description';

export function RequestForm({ categories, accounts, api, initialType = 'consultation', onCreated, descriptionExtra }: Props) {
  const [type, setType] = useState<RequestType>(initialType);
  const [category, setCategory] = useState<string | null>(null);
  const [accountId, setAccountId] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const options = categories.find((c) => c.type === type)?.categories ?? [];

  const onSubmit = async () => {
    if (submitting) return;
    setServerError(null);
    const errs: Partial<Record<Field, string>> = {};
    if (options.length > 0 && !category) errs.category = t.form.errors.categoryMissing;
    const d = validateDescription(description);
    if (d) errs.description = d === 'empty' ? t.form.errors.descEmpty : d === 'short' ? t.form.errors.descShort : t.form.errors.descLong;
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setSubmitting(true);
    try {
      const input: RequestCreateInput = { type, category: category ?? '', description: description.trim() };
      if (accountId) input.accountId = accountId;
      const res = await api.create(input);
      onCreated(res.id);
    } catch (e) {
      setServerError(api.message(e, t.common.unknownError));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <View className="wo-form" id="request-form">
      <View className="card">
        <Text className="wo-label">{t.request.typeLabel}</Text>
        <View className="wo-types">
          {REQUEST_TYPES.map((ty) => (
            <View
              key={ty}
              id={`request-type-${ty}`}
              className={`wo-type ${type === ty ? 'wo-type-on' : ''}`}
              onClick={() => {
                setType(ty);
                setCategory(null);
                setErrors({});
              }}
            >
              <Text>{t.request.types[ty]}</Text>
            </View>
          ))}
        </View>

        {options.length > 0 ? (
          <View>
            <Text className="wo-label wo-label-gap">{t.request.categoryLabel}</Text>
            <View className="wo-chips" id="request-categories">
              {options.map((c, i) => (
                <View
                  key={c}
                  id={`request-category-${i}`}
                  className={`wo-chip ${category === c ? 'wo-chip-on' : ''}`}
                  onClick={() => {
                    setCategory(c);
                    setErrors((e) => ({ ...e, category: undefined }));
                  }}
                >
                  <Text>{c}</Text>
                </View>
              ))}
            </View>
            {errors.category ? (
              <Text className="error-text" id="request-category-error">
                {errors.category}
              </Text>
            ) : null}
          </View>
        ) : null}
      </View>

      {accounts.length > 0 ? (
        <View className="card">
          <Text className="wo-label">{t.request.accountLabel}</Text>
          <View className="wo-chips">
            <View id="request-account-none" className={`wo-chip ${accountId === null ? 'wo-chip-on' : ''}`} onClick={() => setAccountId(null)}>
              <Text>{t.request.noAccount}</Text>
            </View>
            {accounts.map((a) => (
              <View
                key={a.id}
                id={`request-account-${a.number}`}
                className={`wo-chip ${accountId === a.id ? 'wo-chip-on' : ''}`}
                onClick={() => setAccountId(a.id)}
              >
                <Text>{groupAccountNumber(a.number)}</Text>
              </View>
            ))}
          </View>
        </View>
      ) : null}

      <View className="card">
        <View className="wo-label-row">
          <Text className="wo-label">{t.request.descLabel}</Text>
          <Text className="wo-counter">{t.form.counter(Array.from(description).length, DESCRIPTION_MAX)}</Text>
        </View>
        <Textarea
          id="request-desc"
          className={`wo-textarea ${errors.description ? 'input-error' : ''}`}
          value={description}
          maxlength={DESCRIPTION_MAX}
          placeholder={t.request.descPlaceholder[type]}
          onInput={(e) => {
            setDescription(e.detail.value);
            if (errors.description) setErrors((x) => ({ ...x, description: undefined }));
          }}
        />
        {errors.description ? (
          <Text className="error-text" id="request-desc-error">
            {errors.description}
          </Text>
        ) : null}
        {descriptionExtra?.(description, type)}
      </View>

      {serverError ? (
        <View className="error-box" id="request-error">
          <Text>{serverError}</Text>
        </View>
      ) : null}

      <Button id="request-submit" className="btn btn-primary wo-submit" disabled={submitting || undefined} onClick={() => void onSubmit()}>
        {submitting ? t.request.submitting : t.request.submit}
      </Button>
    </View>
  );
}
