import { addStrings, type Strings } from '../client/i18n/localize.js';

/**
 * Strings of the users and audit log screens, registered with the console's (console.strings.ts)
 * and read through `ConsoleElement.t()` like them.
 */
export interface UsersStrings {
  /** Sign-in refused: the account is disabled. */
  accountDisabled: string;

  // Users
  usersIntro: string;
  accountsTitle: string;
  colName: string;
  colEmail: string;
  colRole: string;
  colSites: string;
  colStatus: string;
  colActions: string;
  everySite: string;
  noSiteAssigned: string;
  statusActive: string;
  statusDisabled: string;
  you: string;
  noUsers: string;
  addUser: string;
  addUserTitle: string;
  userName: string;
  roleLabel: string;
  sitesLegend: string;
  passwordChoice: string;
  passwordGenerate: string;
  passwordEnter: string;
  passwordHint: string;
  passwordTooShort: string;
  emailInvalid: string;
  sitesRequired: string;
  createUser: string;
  save: string;
  edit: string;
  /** `%{email}`. */
  editUserTitle: string;
  resetPassword: string;
  resetTitle: string;
  resetNote: string;
  disable: string;
  enable: string;
  deleteUser: string;
  confirmDeleteUser: string;
  confirmDeleteYes: string;
  userCreated: string;
  userSaved: string;
  userDisabled: string;
  userEnabled: string;
  userDeleted: string;
  passwordReset: string;
  passwordShownTitle: string;
  shownOnce: string;
  copy: string;
  copied: string;
  copyFailed: string;
  noted: string;
  errUserExists: string;
  errLastAdmin: string;
  errSelf: string;
  errUnknownSite: string;
  errTokenExists: string;

  // API tokens
  tokensTitle: string;
  tokensIntro: string;
  tokenName: string;
  tokenNameHint: string;
  tokenNameInvalid: string;
  createToken: string;
  createTokenTitle: string;
  colCreatedBy: string;
  colCreatedAt: string;
  colLastUsed: string;
  neverUsed: string;
  revoke: string;
  /** `%{name}`. */
  confirmRevoke: string;
  confirmRevokeYes: string;
  tokenCreated: string;
  tokenRevoked: string;
  tokenShownTitle: string;
  noTokens: string;

  // Audit log
  auditIntro: string;
  auditIntroEditor: string;
  auditFilters: string;
  scope: string;
  scopeSite: string;
  scopeAll: string;
  filterAction: string;
  allActions: string;
  groupSite: string;
  groupPoll: string;
  groupComment: string;
  groupCommentSettings: string;
  groupSlogan: string;
  groupLink: string;
  groupCaptcha: string;
  groupNotify: string;
  groupUser: string;
  groupToken: string;
  filterActor: string;
  filterActorHint: string;
  applyFilter: string;
  clearFilter: string;
  auditWho: string;
  auditSite: string;
  auditTarget: string;
  noSite: string;
  changesCaption: string;
  colField: string;
  colBefore: string;
  colAfter: string;
  emptyValue: string;
  yes: string;
  no: string;
  noEntries: string;
}

export const usersStrings: Strings<UsersStrings> = {
  vi: {
    accountDisabled: 'Tài khoản này đã bị khoá. Vui lòng liên hệ quản trị viên.',
    usersIntro:
      'Quản trị viên quản lý mọi trang web và người dùng; biên tập viên chỉ quản lý các trang web được giao.',
    accountsTitle: 'Tài khoản',
    colName: 'Họ tên',
    colEmail: 'E-mail',
    colRole: 'Vai trò',
    colSites: 'Trang web',
    colStatus: 'Trạng thái',
    colActions: 'Thao tác',
    everySite: 'Mọi trang web',
    noSiteAssigned: 'Chưa giao trang nào',
    statusActive: 'Đang hoạt động',
    statusDisabled: 'Đã khoá',
    you: '(bạn)',
    noUsers: 'Chưa có tài khoản nào.',
    addUser: 'Thêm người dùng',
    addUserTitle: 'Thêm người dùng',
    userName: 'Họ tên (không bắt buộc)',
    roleLabel: 'Vai trò',
    sitesLegend: 'Trang web được giao',
    passwordChoice: 'Mật khẩu ban đầu',
    passwordGenerate: 'Tạo mật khẩu ngẫu nhiên (hiện một lần)',
    passwordEnter: 'Tự nhập mật khẩu',
    passwordHint: 'Ít nhất 12 ký tự.',
    passwordTooShort: 'Mật khẩu cần ít nhất 12 ký tự.',
    emailInvalid: 'Vui lòng nhập một địa chỉ e-mail hợp lệ.',
    sitesRequired: 'Hãy chọn ít nhất một trang web cho biên tập viên.',
    createUser: 'Tạo tài khoản',
    save: 'Lưu',
    edit: 'Sửa',
    editUserTitle: 'Sửa tài khoản %{email}',
    resetPassword: 'Đặt lại mật khẩu',
    resetTitle: 'Đặt lại mật khẩu của %{email}',
    resetNote: 'Mọi phiên đăng nhập của tài khoản này sẽ kết thúc.',
    disable: 'Khoá',
    enable: 'Mở khoá',
    deleteUser: 'Xoá',
    confirmDeleteUser: 'Xoá hẳn tài khoản %{email}? Không thể hoàn tác.',
    confirmDeleteYes: 'Xoá hẳn',
    userCreated: 'Đã tạo tài khoản %{email}.',
    userSaved: 'Đã lưu tài khoản %{email}.',
    userDisabled: 'Đã khoá tài khoản %{email}; các phiên đăng nhập của tài khoản đã kết thúc.',
    userEnabled: 'Đã mở khoá tài khoản %{email}.',
    userDeleted: 'Đã xoá tài khoản %{email}.',
    passwordReset: 'Đã đặt lại mật khẩu của %{email}.',
    passwordShownTitle: 'Mật khẩu của %{email}',
    shownOnce: 'Chỉ hiện một lần này: hãy sao chép và gửi cho người dùng qua một kênh an toàn.',
    copy: 'Sao chép',
    copied: 'Đã sao chép.',
    copyFailed: 'Không sao chép được; hãy chọn và sao chép thủ công.',
    noted: 'Đã ghi lại, đóng',
    errUserExists: 'Đã có tài khoản với e-mail này.',
    errLastAdmin: 'Không thể xoá, khoá hay hạ quyền quản trị viên cuối cùng còn hoạt động.',
    errSelf: 'Bạn không thể khoá hay xoá chính tài khoản của mình.',
    errUnknownSite: 'Một trang web đã chọn không còn tồn tại.',
    errTokenExists: 'Đã có mã truy cập với tên này.',

    tokensTitle: 'Mã truy cập API',
    tokensIntro:
      'Dành cho các chương trình tự động. Mỗi mã có vai trò và trang web riêng; mã chỉ hiện một lần khi tạo.',
    tokenName: 'Tên mã',
    tokenNameHint: 'Chữ cái không dấu, chữ số, ".", "_" hoặc "-"; tối đa 63 ký tự.',
    tokenNameInvalid: 'Tên mã chỉ gồm chữ cái không dấu, chữ số, ".", "_" hoặc "-".',
    createToken: 'Tạo mã',
    createTokenTitle: 'Tạo mã truy cập',
    colCreatedBy: 'Người tạo',
    colCreatedAt: 'Ngày tạo',
    colLastUsed: 'Dùng lần cuối',
    neverUsed: 'Chưa dùng',
    revoke: 'Thu hồi',
    confirmRevoke: 'Thu hồi mã %{name}? Các chương trình đang dùng mã này sẽ bị từ chối.',
    confirmRevokeYes: 'Thu hồi hẳn',
    tokenCreated: 'Đã tạo mã %{name}.',
    tokenRevoked: 'Đã thu hồi mã %{name}.',
    tokenShownTitle: 'Mã truy cập %{name}',
    noTokens: 'Chưa có mã truy cập nào.',

    auditIntro:
      'Mọi thay đổi qua bảng quản trị, API hay dòng lệnh, mới nhất trước. Không ai sửa hay xoá được nhật ký.',
    auditIntroEditor:
      'Các thay đổi trên trang web của bạn, mới nhất trước. Không ai sửa hay xoá được nhật ký.',
    auditFilters: 'Lọc nhật ký',
    scope: 'Phạm vi',
    scopeSite: 'Trang web này',
    scopeAll: 'Mọi trang web và tài khoản',
    filterAction: 'Loại thay đổi',
    allActions: 'Tất cả',
    groupSite: 'Trang web',
    groupPoll: 'Thăm dò',
    groupComment: 'Bình luận',
    groupCommentSettings: 'Cài đặt bình luận',
    groupSlogan: 'Khẩu hiệu',
    groupLink: 'Liên kết',
    groupCaptcha: 'Captcha',
    groupNotify: 'Thông báo cho người duyệt',
    groupUser: 'Người dùng',
    groupToken: 'Mã truy cập API',
    filterActor: 'Người thực hiện',
    filterActorHint: 'E-mail, token:tên, ADMIN_TOKEN hoặc cli.',
    applyFilter: 'Lọc',
    clearFilter: 'Bỏ lọc',
    auditWho: 'Người thực hiện',
    auditSite: 'Trang web',
    auditTarget: 'Đối tượng',
    noSite: 'không thuộc trang nào',
    changesCaption: 'Trước → sau',
    colField: 'Mục',
    colBefore: 'Trước',
    colAfter: 'Sau',
    emptyValue: '(trống)',
    yes: 'có',
    no: 'không',
    noEntries: 'Không có mục nào trong nhật ký.',
  },
  en: {
    accountDisabled: 'This account is disabled. Please contact an administrator.',
    usersIntro:
      'Administrators manage every site and the users; editors manage only the sites assigned to them.',
    accountsTitle: 'Accounts',
    colName: 'Name',
    colEmail: 'E-mail',
    colRole: 'Role',
    colSites: 'Sites',
    colStatus: 'Status',
    colActions: 'Actions',
    everySite: 'Every site',
    noSiteAssigned: 'None assigned',
    statusActive: 'Active',
    statusDisabled: 'Disabled',
    you: '(you)',
    noUsers: 'No accounts yet.',
    addUser: 'Add a user',
    addUserTitle: 'Add a user',
    userName: 'Name (optional)',
    roleLabel: 'Role',
    sitesLegend: 'Sites assigned',
    passwordChoice: 'Initial password',
    passwordGenerate: 'Generate a random password (shown once)',
    passwordEnter: 'Enter a password',
    passwordHint: 'At least 12 characters.',
    passwordTooShort: 'The password needs at least 12 characters.',
    emailInvalid: 'Please enter a valid e-mail address.',
    sitesRequired: 'Choose at least one site for an editor.',
    createUser: 'Create account',
    save: 'Save',
    edit: 'Edit',
    editUserTitle: 'Edit %{email}',
    resetPassword: 'Reset password',
    resetTitle: 'Reset the password of %{email}',
    resetNote: 'Every session of this account will end.',
    disable: 'Disable',
    enable: 'Enable',
    deleteUser: 'Delete',
    confirmDeleteUser: 'Delete the account %{email} for good? This cannot be undone.',
    confirmDeleteYes: 'Delete for good',
    userCreated: 'Created the account %{email}.',
    userSaved: 'Saved the account %{email}.',
    userDisabled: 'Disabled the account %{email}; its sessions have ended.',
    userEnabled: 'Enabled the account %{email}.',
    userDeleted: 'Deleted the account %{email}.',
    passwordReset: 'Reset the password of %{email}.',
    passwordShownTitle: 'Password of %{email}',
    shownOnce: 'Shown this once: copy it and give it to the user through a safe channel.',
    copy: 'Copy',
    copied: 'Copied.',
    copyFailed: 'Could not copy; please select it and copy it by hand.',
    noted: 'Noted, close',
    errUserExists: 'There is already an account with this e-mail.',
    errLastAdmin: 'The last active administrator cannot be deleted, disabled or demoted.',
    errSelf: 'You cannot disable or delete your own account.',
    errUnknownSite: 'A chosen site no longer exists.',
    errTokenExists: 'There is already a token with this name.',

    tokensTitle: 'API tokens',
    tokensIntro:
      'For automation. Each token has its own role and sites; it is shown once, when it is created.',
    tokenName: 'Token name',
    tokenNameHint: 'Letters (no accents), digits, ".", "_" or "-"; at most 63 characters.',
    tokenNameInvalid: 'A token name has only letters (no accents), digits, ".", "_" or "-".',
    createToken: 'Create token',
    createTokenTitle: 'Create an API token',
    colCreatedBy: 'Created by',
    colCreatedAt: 'Created',
    colLastUsed: 'Last used',
    neverUsed: 'Never',
    revoke: 'Revoke',
    confirmRevoke: 'Revoke the token %{name}? Programs using it will be refused.',
    confirmRevokeYes: 'Revoke for good',
    tokenCreated: 'Created the token %{name}.',
    tokenRevoked: 'Revoked the token %{name}.',
    tokenShownTitle: 'API token %{name}',
    noTokens: 'No API tokens yet.',

    auditIntro:
      'Every change through the console, the API or the command line, newest first. No one can change or delete the log.',
    auditIntroEditor:
      'The changes to your sites, newest first. No one can change or delete the log.',
    auditFilters: 'Filter the log',
    scope: 'Scope',
    scopeSite: 'This site',
    scopeAll: 'Every site and account',
    filterAction: 'Kind of change',
    allActions: 'All',
    groupSite: 'Sites',
    groupPoll: 'Polls',
    groupComment: 'Comments',
    groupCommentSettings: 'Comment settings',
    groupSlogan: 'Slogans',
    groupLink: 'Links',
    groupCaptcha: 'Captcha',
    groupNotify: 'Moderator notifications',
    groupUser: 'Users',
    groupToken: 'API tokens',
    filterActor: 'Made by',
    filterActorHint: 'An e-mail, token:name, ADMIN_TOKEN or cli.',
    applyFilter: 'Filter',
    clearFilter: 'Clear',
    auditWho: 'By',
    auditSite: 'Site',
    auditTarget: 'Target',
    noSite: 'no site',
    changesCaption: 'Before → after',
    colField: 'Field',
    colBefore: 'Before',
    colAfter: 'After',
    emptyValue: '(empty)',
    yes: 'yes',
    no: 'no',
    noEntries: 'No entries in the log.',
  },
};

addStrings(usersStrings);
