import { addStrings, type Strings } from '../client/i18n/localize.js';

/** Strings of the sites screen (`<civic-console-sites>`). */
export interface SitesStrings {
  siteSettings: string;
  siteId: string;
  siteName: string;
  nameRequired: string;
  timeZone: string;
  timeZoneHint: string;
  legacyOffset: string;
  legacyOffsetHint: string;
  offsetInvalid: string;
  adminOnly: string;
  origins: string;
  originsHint: string;
  noOrigins: string;
  newOrigin: string;
  addOrigin: string;
  /** `%{origin}`. */
  removeOrigin: string;
  originRemove: string;
  originRequired: string;
  originInvalid: string;
  originDuplicate: string;
  originAdded: string;
  originRemoved: string;
  saveSite: string;
  siteSaving: string;
  siteSaved: string;
  captcha: string;
  captchaMode: string;
  modeBoth: string;
  modeBothHint: string;
  modeCode: string;
  modeCodeHint: string;
  modePow: string;
  modePowHint: string;
  saveMode: string;
  modeSaved: string;
  secretTitle: string;
  secretHint: string;
  secretLabel: string;
  showSecret: string;
  hideSecret: string;
  copySecret: string;
  rotateSecret: string;
  rotateWarning: string;
  confirmRotate: string;
  secretRotated: string;
  embed: string;
  embedHint: string;
  snippetScript: string;
  snippetLegacy: string;
  widgetCounter: string;
  /** `%{id}`: the list or poll. */
  widgetMarquee: string;
  widgetLinks: string;
  widgetPoll: string;
  widgetComments: string;
  widgetCaptcha: string;
  copy: string;
  /** `%{name}`: what is copied. */
  copyNamed: string;
  copied: string;
  copyFailed: string;
}

export const strings: Strings<SitesStrings> = {
  vi: {
    siteSettings: 'Thông tin trang web',
    siteId: 'Mã trang web',
    siteName: 'Tên trang web',
    nameRequired: 'Vui lòng nhập tên trang web.',
    timeZone: 'Múi giờ',
    timeZoneHint: 'Quyết định "hôm nay" và "tháng này" của bộ đếm truy cập.',
    legacyOffset: 'Số lượt truy cập cũ',
    legacyOffsetHint: 'Cộng vào tổng số lượt truy cập, để bộ đếm tiếp tục từ con số của cổng cũ.',
    offsetInvalid: 'Nhập một số nguyên từ 0 đến 1.000.000.000.000.',
    adminOnly: 'Chỉ quản trị viên thay đổi được.',
    origins: 'Nguồn được phép (origin)',
    originsHint:
      'Chỉ các trang ở đúng những địa chỉ này mới gọi được API của trang web (giao thức, tên miền và cổng, không có đường dẫn).',
    noOrigins: 'Chưa có nguồn nào: widget trên mọi trang đều sẽ bị từ chối.',
    newOrigin: 'Thêm nguồn',
    addOrigin: 'Thêm',
    removeOrigin: 'Xoá nguồn %{origin}',
    originRemove: 'Xoá',
    originRequired: 'Vui lòng nhập một nguồn, ví dụ https://soyte.example.gov.vn.',
    originInvalid:
      'Nguồn phải là http(s)://tên-miền[:cổng], không có đường dẫn, ví dụ https://soyte.example.gov.vn.',
    originDuplicate: '%{origin} đã có trong danh sách.',
    originAdded: 'Đã thêm %{origin} (chưa lưu).',
    originRemoved: 'Đã xoá %{origin} (chưa lưu).',
    saveSite: 'Lưu thông tin',
    siteSaving: 'Đang lưu…',
    siteSaved: 'Đã lưu thông tin trang web.',
    captcha: 'Mã xác minh (captcha)',
    captchaMode: 'Cách xác minh người gửi bình luận',
    modeBoth: 'Mã trong ảnh hoặc tự động',
    modeBothHint: 'Người đọc gõ mã trong ảnh, hoặc trình duyệt tự giải một phép tính (mặc định).',
    modeCode: 'Chỉ mã trong ảnh',
    modeCodeHint: 'Luôn phải gõ mã trong ảnh.',
    modePow: 'Chỉ tự động',
    modePowHint: 'Trình duyệt tự giải một phép tính, không có ảnh.',
    saveMode: 'Lưu cách xác minh',
    modeSaved: 'Đã lưu cách xác minh.',
    secretTitle: 'Khoá bí mật để kiểm tra mã',
    secretHint:
      'Máy chủ của cơ quan dùng khoá này khi gọi POST /api/v1/captcha/verify. Không đưa khoá vào trang web.',
    secretLabel: 'Khoá bí mật',
    showSecret: 'Hiện khoá',
    hideSecret: 'Ẩn khoá',
    copySecret: 'Chép khoá bí mật',
    rotateSecret: 'Tạo khoá mới',
    rotateWarning: 'Khoá cũ ngừng hoạt động ngay. Tạo khoá mới?',
    confirmRotate: 'Tạo khoá mới',
    secretRotated: 'Đã tạo khoá mới; khoá cũ không còn dùng được.',
    embed: 'Mã nhúng',
    embedHint:
      'Dán thẻ script một lần vào mỗi trang (trong <head> hoặc cuối <body>), rồi dán thẻ của từng widget vào chỗ muốn hiện.',
    snippetScript: 'Thẻ script (một lần mỗi trang)',
    snippetLegacy: 'Thẻ script cho trang cũ (không dùng được module)',
    widgetCounter: 'Bộ đếm truy cập',
    widgetMarquee: 'Khẩu hiệu chạy: %{id}',
    widgetLinks: 'Danh sách liên kết: %{id}',
    widgetPoll: 'Thăm dò ý kiến: %{id}',
    widgetComments: 'Bình luận (ý kiến bạn đọc)',
    widgetCaptcha: 'Mã xác minh cho biểu mẫu của trang',
    copy: 'Chép',
    copyNamed: 'Chép mã: %{name}',
    copied: 'Đã chép.',
    copyFailed: 'Không chép tự động được. Mã đã được chọn, hãy nhấn Ctrl+C.',
  },
  en: {
    siteSettings: 'Site settings',
    siteId: 'Site id',
    siteName: 'Site name',
    nameRequired: 'Please enter the site name.',
    timeZone: 'Time zone',
    timeZoneHint: 'Decides what "today" and "this month" mean for the visit counter.',
    legacyOffset: 'Legacy visits',
    legacyOffsetHint:
      "Added to the visit total, so the counter goes on from the old portal's figure.",
    offsetInvalid: 'Enter a whole number from 0 to 1,000,000,000,000.',
    adminOnly: 'Only an administrator may change this.',
    origins: 'Allowed origins',
    originsHint:
      "Only pages at exactly these addresses may call the site's API (scheme, host and port, no path).",
    noOrigins: 'No origin yet: the widgets will be refused on every page.',
    newOrigin: 'Add an origin',
    addOrigin: 'Add',
    removeOrigin: 'Remove origin %{origin}',
    originRemove: 'Remove',
    originRequired: 'Please enter an origin, e.g. https://health.example.gov.vn.',
    originInvalid:
      'An origin is http(s)://host[:port] without a path, e.g. https://health.example.gov.vn.',
    originDuplicate: '%{origin} is already listed.',
    originAdded: 'Added %{origin} (not saved yet).',
    originRemoved: 'Removed %{origin} (not saved yet).',
    saveSite: 'Save settings',
    siteSaving: 'Saving…',
    siteSaved: 'Site settings saved.',
    captcha: 'Captcha',
    captchaMode: 'How commenters prove they are people',
    modeBoth: 'Image code or automatic',
    modeBothHint: 'Readers type the code in the image, or the browser solves a puzzle (default).',
    modeCode: 'Image code only',
    modeCodeHint: 'The code in the image is always required.',
    modePow: 'Automatic only',
    modePowHint: 'The browser solves a puzzle; no image.',
    saveMode: 'Save captcha mode',
    modeSaved: 'Captcha mode saved.',
    secretTitle: 'Verification secret',
    secretHint:
      "Your agency's server uses it to call POST /api/v1/captcha/verify. Never put it in a web page.",
    secretLabel: 'Secret',
    showSecret: 'Show secret',
    hideSecret: 'Hide secret',
    copySecret: 'Copy the secret',
    rotateSecret: 'New secret',
    rotateWarning: 'The current secret stops working at once. Make a new one?',
    confirmRotate: 'Make a new secret',
    secretRotated: 'New secret made; the old one no longer works.',
    embed: 'Embed code',
    embedHint:
      "Paste the script tag once on every page (in <head> or at the end of <body>), then each widget's tag where it should show.",
    snippetScript: 'Script tag (once a page)',
    snippetLegacy: 'Script tag for legacy pages (no modules)',
    widgetCounter: 'Visit counter',
    widgetMarquee: 'Slogan strip: %{id}',
    widgetLinks: 'Link list: %{id}',
    widgetPoll: 'Poll: %{id}',
    widgetComments: 'Comments',
    widgetCaptcha: "Captcha for the site's own forms",
    copy: 'Copy',
    copyNamed: 'Copy the code: %{name}',
    copied: 'Copied.',
    copyFailed: 'Could not copy automatically. The code is selected: press Ctrl+C.',
  },
};

addStrings(strings);
