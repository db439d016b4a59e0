import { addStrings, type Strings } from '../../client/i18n/localize.js';

export interface MarqueeStrings {
  marqueeLabel: string;
  marqueePause: string;
  marqueePlay: string;
  marqueePrevious: string;
  marqueeNext: string;
}

// Joins the keys to the one flat `Translation` (what `registerTranslation()` takes).
declare module '../../client/i18n/localize.js' {
  interface Translation extends MarqueeStrings {}
}

export const strings: Strings<MarqueeStrings> = {
  vi: {
    marqueeLabel: 'Khẩu hiệu',
    marqueePause: 'Tạm dừng',
    marqueePlay: 'Tiếp tục',
    marqueePrevious: 'Khẩu hiệu trước',
    marqueeNext: 'Khẩu hiệu sau',
  },
  en: {
    marqueeLabel: 'Slogans',
    marqueePause: 'Pause',
    marqueePlay: 'Play',
    marqueePrevious: 'Previous slogan',
    marqueeNext: 'Next slogan',
  },
};

addStrings(strings);
