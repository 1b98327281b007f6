'use client';

import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import { DATE_TIME_FORMAT } from '@/lib/format';

dayjs.locale('zh-cn');

/**
 * The console's date-time input: Ant Design's picker in the one format (2026-12-01 18:59), the value an ISO
 * string (or null) so forms hand it to the API as is. Replaces native <input type="datetime-local">.
 */
export function DateTimeField({
  value,
  onChange,
  placeholder,
  id,
  disabledPast,
  ...rest
}: {
  value?: string | null;
  onChange?: (iso: string | null) => void;
  placeholder?: string;
  id?: string;
  disabledPast?: boolean;
  'aria-label'?: string;
  'data-testid'?: string;
}) {
  return (
    <DatePicker
      id={id}
      showTime={{ format: 'HH:mm' }}
      format={DATE_TIME_FORMAT}
      value={value ? dayjs(value) : null}
      onChange={(d: Dayjs | null) => onChange?.(d ? d.second(0).millisecond(0).toISOString() : null)}
      placeholder={placeholder ?? '请选择日期时间'}
      style={{ width: '100%' }}
      needConfirm={false}
      disabledDate={disabledPast ? (d) => d.endOf('day').isBefore(dayjs()) : undefined}
      {...rest}
    />
  );
}
