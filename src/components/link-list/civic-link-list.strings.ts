import type { Strings } from '../../client/i18n/localize.js';

export interface LinkListStrings {
  linksChoose: string;
  linksGo: string;
  linksExternal: string;
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
