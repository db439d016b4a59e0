import { addStrings, type Strings } from '../../client/i18n/localize.js';

export interface LinkListStrings {
  linksChoose: string;
  linksGo: string;
  linksExternal: string;
}

// Joins the keys to the one flat `Translation` (what `registerTranslation()` takes).
declare module '../../client/i18n/localize.js' {
  interface Translation extends LinkListStrings {}
}

export const strings: Strings<LinkListStrings> = {
  vi: {
    linksChoose: 'Chọn trang liên kết',
    linksGo: 'Đi',
    linksExternal: '(liên kết ngoài)',
  },
  en: {
    linksChoose: 'Choose a site',
    linksGo: 'Go',
    linksExternal: '(external link)',
  },
};

addStrings(strings);
