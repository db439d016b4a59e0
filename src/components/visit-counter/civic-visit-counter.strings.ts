import type { Strings } from '../../client/i18n/localize.js';

export interface VisitCounterStrings {
  visitsTotal: string;
  visitsToday: string;
  visitsMonth: string;
  visitsOnline: string;
}

export const strings: Strings<VisitCounterStrings> = {
  vi: {
    visitsTotal: 'Số lượt truy cập',
    visitsToday: 'Hôm nay',
    visitsMonth: 'Tháng này',
    visitsOnline: 'Đang online',
  },
  en: {
    visitsTotal: 'Visits',
    visitsToday: 'Today',
    visitsMonth: 'This month',
    visitsOnline: 'Online now',
  },
};
