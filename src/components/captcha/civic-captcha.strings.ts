import { addStrings, type Plural, type Strings } from '../../client/i18n/localize.js';

export interface CaptchaStrings {
  captchaImageAlt: string;
  captchaRefresh: string;
  captchaCode: string;
  captchaPow: string;
  captchaSolving: string;
  /** `%{count}` seconds expected. */
  captchaSolvingEta: Plural;
  /** `%{seconds}`: time taken, formatted. */
  captchaDone: string;
  captchaRequired: string;
  captchaNewCode: string;
  captchaExpired: string;
}

// Joins the keys to the one flat `Translation` (what `registerTranslation()` takes).
declare module '../../client/i18n/localize.js' {
  interface Translation extends CaptchaStrings {}
}

export const strings: Strings<CaptchaStrings> = {
  vi: {
    captchaImageAlt: 'Mã xác nhận',
    captchaRefresh: 'Đổi mã khác',
    captchaCode: 'Mã code',
    captchaPow: 'Không đọc được mã?',
    captchaSolving: 'Đang xác minh…',
    captchaSolvingEta: 'Đang xác minh… (khoảng %{count} giây)',
    captchaDone: 'Đã xác minh (mất %{seconds} giây).',
    captchaRequired: 'Vui lòng nhập mã xác nhận.',
    captchaNewCode: 'Đã tải mã mới.',
    captchaExpired: 'Mã đã hết hạn, đã tải mã mới.',
  },
  en: {
    captchaImageAlt: 'Verification code image',
    captchaRefresh: 'New code',
    captchaCode: 'Code',
    captchaPow: "Can't read the code?",
    captchaSolving: 'Verifying…',
    captchaSolvingEta: {
      one: 'Verifying… (about %{count} second)',
      other: 'Verifying… (about %{count} seconds)',
    },
    captchaDone: 'Verified (took %{seconds} s).',
    captchaRequired: 'Please enter the verification code.',
    captchaNewCode: 'New code loaded.',
    captchaExpired: 'The code expired; a new one is loaded.',
  },
};

addStrings(strings);
