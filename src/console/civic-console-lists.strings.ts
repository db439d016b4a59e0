import { addStrings, type Strings } from '../client/i18n/localize.js';

/** Strings of the slogans-and-links screen (`<civic-console-lists>`). */
export interface ListsStrings {
  listsIntro: string;
  noLists: string;
  listPicker: string;
  kindSlogans: string;
  kindLinks: string;
  newList: string;
  listKind: string;
  listId: string;
  listIdHint: string;
  listIdRequired: string;
  listIdInvalid: string;
  listExists: string;
  listTitle: string;
  createList: string;
  /** `%{title}`. */
  listCreated: string;
  editSlogans: string;
  editLinks: string;
  noItems: string;
  /** `%{n}`: position from 1. */
  itemN: string;
  sloganText: string;
  sloganHref: string;
  linkText: string;
  linkHref: string;
  linkGroup: string;
  linkImage: string;
  linkAlt: string;
  optional: string;
  up: string;
  down: string;
  remove: string;
  /** `%{text}`: the item. */
  moveUp: string;
  moveDown: string;
  removeItem: string;
  /** `%{text}`, `%{n}`: its new position. */
  itemMoved: string;
  itemRemoved: string;
  addSlogan: string;
  addLink: string;
  /** `%{max}`. */
  listFull: string;
  saveList: string;
  saving: string;
  discardChanges: string;
  changesDiscarded: string;
  unsaved: string;
  /** `%{time}`. */
  savedAt: string;
  /** `%{title}`. */
  listSaved: string;
  listConflict: string;
  reloadList: string;
  sloganRequired: string;
  linkTextRequired: string;
  hrefRequired: string;
  hrefInvalid: string;
  imageInvalid: string;
  fieldInvalid: string;
  preview: string;
  previewIntro: string;
  previewVariant: string;
  variantList: string;
  variantSelect: string;
  variantBanners: string;
  previewEmpty: string;
  previewUnavailable: string;
  embedTag: string;
}

export const strings: Strings<ListsStrings> = {
  vi: {
    listsIntro:
      'Khẩu hiệu chạy trên dải chữ (<civic-marquee>) và các danh sách liên kết (<civic-link-list>) của trang web. Thay đổi hiện trên trang web sau khi lưu, chậm nhất một phút.',
    noLists: 'Trang web này chưa có danh sách nào.',
    listPicker: 'Danh sách',
    kindSlogans: 'Khẩu hiệu',
    kindLinks: 'Liên kết',
    newList: 'Tạo danh sách mới',
    listKind: 'Loại danh sách',
    listId: 'Mã danh sách',
    listIdHint: 'Chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ: khau-hieu-tet.',
    listIdRequired: 'Vui lòng nhập mã danh sách.',
    listIdInvalid: 'Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang.',
    listExists: 'Đã có danh sách mang mã này.',
    listTitle: 'Tên danh sách',
    createList: 'Tạo danh sách',
    listCreated: 'Đã tạo danh sách %{title}.',
    editSlogans: 'Các khẩu hiệu',
    editLinks: 'Các liên kết',
    noItems: 'Danh sách chưa có mục nào.',
    itemN: 'Mục %{n}',
    sloganText: 'Nội dung khẩu hiệu',
    sloganHref: 'Liên kết tới',
    linkText: 'Tên liên kết',
    linkHref: 'Địa chỉ (URL)',
    linkGroup: 'Nhóm',
    linkImage: 'Ảnh banner (URL)',
    linkAlt: 'Mô tả ảnh',
    optional: 'không bắt buộc',
    up: 'Lên',
    down: 'Xuống',
    remove: 'Xoá',
    moveUp: 'Chuyển lên: %{text}',
    moveDown: 'Chuyển xuống: %{text}',
    removeItem: 'Xoá: %{text}',
    itemMoved: 'Đã chuyển "%{text}" tới vị trí %{n}.',
    itemRemoved: 'Đã xoá "%{text}" (chưa lưu).',
    addSlogan: 'Thêm khẩu hiệu',
    addLink: 'Thêm liên kết',
    listFull: 'Mỗi danh sách có tối đa %{max} mục.',
    saveList: 'Lưu danh sách',
    saving: 'Đang lưu…',
    discardChanges: 'Bỏ thay đổi',
    changesDiscarded: 'Đã bỏ các thay đổi chưa lưu.',
    unsaved: 'Có thay đổi chưa lưu.',
    savedAt: 'Lưu lần cuối: %{time}',
    listSaved: 'Đã lưu danh sách %{title}.',
    listConflict:
      'Danh sách vừa được người khác sửa. Hãy tải lại để xem bản mới rồi sửa lại; chưa có gì được lưu.',
    reloadList: 'Tải lại danh sách',
    sloganRequired: 'Vui lòng nhập nội dung khẩu hiệu.',
    linkTextRequired: 'Vui lòng nhập tên liên kết.',
    hrefRequired: 'Vui lòng nhập địa chỉ liên kết.',
    hrefInvalid:
      'Chỉ dùng địa chỉ http(s), mailto hoặc tel (hoặc đường dẫn trên trang, bắt đầu bằng /).',
    imageInvalid: 'Ảnh phải là địa chỉ http(s) hoặc đường dẫn trên máy chủ này.',
    fieldInvalid: 'Giá trị này không hợp lệ.',
    preview: 'Xem trước',
    previewIntro: 'Widget thật, với nội dung đang sửa (kể cả khi chưa lưu).',
    previewVariant: 'Kiểu hiển thị',
    variantList: 'Danh sách',
    variantSelect: 'Ô chọn và nút "Đi"',
    variantBanners: 'Ảnh banner',
    previewEmpty: 'Chưa có mục nào để xem trước.',
    previewUnavailable: 'Không tải được widget để xem trước; nội dung vẫn lưu được.',
    embedTag: 'Thẻ để dán vào trang:',
  },
  en: {
    listsIntro:
      "The site's slogans for the moving strip (<civic-marquee>) and its link lists (<civic-link-list>). Changes show on the site once saved, within a minute.",
    noLists: 'This site has no list yet.',
    listPicker: 'List',
    kindSlogans: 'Slogans',
    kindLinks: 'Links',
    newList: 'New list',
    listKind: 'Kind of list',
    listId: 'List id',
    listIdHint: 'Lower-case letters, digits and hyphens, e.g. tet-slogans.',
    listIdRequired: 'Please enter the list id.',
    listIdInvalid: 'Use lower-case letters, digits and hyphens only.',
    listExists: 'A list with this id already exists.',
    listTitle: 'List title',
    createList: 'Create list',
    listCreated: 'List %{title} created.',
    editSlogans: 'Slogans',
    editLinks: 'Links',
    noItems: 'The list has no items.',
    itemN: 'Item %{n}',
    sloganText: 'Slogan',
    sloganHref: 'Links to',
    linkText: 'Link text',
    linkHref: 'Address (URL)',
    linkGroup: 'Group',
    linkImage: 'Banner image (URL)',
    linkAlt: 'Image description',
    optional: 'optional',
    up: 'Up',
    down: 'Down',
    remove: 'Remove',
    moveUp: 'Move up: %{text}',
    moveDown: 'Move down: %{text}',
    removeItem: 'Remove: %{text}',
    itemMoved: 'Moved "%{text}" to position %{n}.',
    itemRemoved: 'Removed "%{text}" (not saved yet).',
    addSlogan: 'Add a slogan',
    addLink: 'Add a link',
    listFull: 'A list holds at most %{max} items.',
    saveList: 'Save list',
    saving: 'Saving…',
    discardChanges: 'Discard changes',
    changesDiscarded: 'Unsaved changes discarded.',
    unsaved: 'There are unsaved changes.',
    savedAt: 'Last saved: %{time}',
    listSaved: 'List %{title} saved.',
    listConflict:
      'Someone else has just changed this list. Reload it to see their version, then edit again; nothing was saved.',
    reloadList: 'Reload the list',
    sloganRequired: 'Please enter the slogan.',
    linkTextRequired: 'Please enter the link text.',
    hrefRequired: 'Please enter the link address.',
    hrefInvalid: 'Use an http(s), mailto or tel address (or a path on the site, starting with /).',
    imageInvalid: 'The image must be an http(s) address or a path on this server.',
    fieldInvalid: 'This value is not valid.',
    preview: 'Preview',
    previewIntro: 'The real widget, with the content being edited (also before it is saved).',
    previewVariant: 'Display',
    variantList: 'List',
    variantSelect: 'Select box and "Go" button',
    variantBanners: 'Banner images',
    previewEmpty: 'Nothing to preview yet.',
    previewUnavailable:
      'The widget could not be loaded for the preview; the list can still be saved.',
    embedTag: 'Tag to paste into the page:',
  },
};

addStrings(strings);
