import { addStrings, type Strings } from '../../client/i18n/localize.js';

export interface VisitCounterStrings {
  visitsTotal: string;
  visitsToday: string;
  visitsMonth: string;
  visitsOnline: string;
}

// Joins the keys to the one flat `Translation` (what `registerTranslation()` takes).
declare module '../../client/i18n/localize.js' {
  interface Translation extends VisitCounterStrings {}
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

addStrings(strings);
