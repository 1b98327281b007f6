/**
 * Public holidays and makeup workdays (调休上班) of mainland China, per year, as data: the first version of
 * the `calendar` setting is built from this table, and every later change is made on the admin screen
 * (系统管理 → SLA 规则与节假日), stored as a new version in the database. Add a year here only to change what
 * a fresh database starts with.
 *
 * Dates are Asia/Shanghai calendar days. `status: 'official'` = as published by 国务院办公厅;
 * 'provisional' = the traditional festival dates, to be replaced on screen by the published list.
 */
export interface HolidayYear {
  year: number;
  status: 'official' | 'provisional';
  source: string;
  holidays: string[];
  makeupWorkdays: string[];
}

export const HOLIDAY_YEARS: HolidayYear[] = [
  {
    year: 2026,
    status: 'official',
    source: '国务院办公厅关于2026年部分节假日安排的通知',
    holidays: [
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
      '2026-04-04',
      '2026-04-05',
      '2026-04-06',
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-04',
      '2026-05-05',
      '2026-06-19',
      '2026-06-20',
      '2026-06-21',
      '2026-09-25',
      '2026-09-26',
      '2026-09-27',
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ],
    makeupWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
  {
    year: 2027,
    status: 'provisional',
    source: '按传统节日日期预排，待国务院办公厅公布后在系统管理中更新',
    holidays: [
      '2027-01-01',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
      '2027-02-11',
      '2027-02-12',
      '2027-04-03',
      '2027-04-04',
      '2027-04-05',
      '2027-05-01',
      '2027-05-02',
      '2027-05-03',
      '2027-05-04',
      '2027-05-05',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
      '2027-10-04',
      '2027-10-05',
      '2027-10-06',
      '2027-10-07',
    ],
    makeupWorkdays: [],
  },
];
