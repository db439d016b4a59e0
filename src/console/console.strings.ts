import { addStrings, type Plural, type Strings } from '../client/i18n/localize.js';

/**
 * The admin console's own strings. They are registered with the core's built-in dictionaries
 * but do not join the widgets' `Translation` type: the console is not a widget, and a site's
 * `registerTranslation()` for its widgets must not need them.
 */
export interface ConsoleStrings {
  appTitle: string;
  skipToContent: string;
  language: string;
  signedInAs: string;
  roleAdmin: string;
  roleEditor: string;
  site: string;
  signOut: string;
  mainNav: string;
  comingSoon: string;
  comingSoonText: string;
  sessionExpired: string;
  retry: string;

  // Login
  signIn: string;
  signInIntro: string;
  email: string;
  password: string;
  signingIn: string;
  invalidCredentials: string;
  fieldRequired: string;
  /** `%{wait}`: how long, e.g. "15 phút". */
  tooManyAttempts: string;
  tooManyAttemptsLater: string;
  minutes: Plural;
  seconds: Plural;

  // Screens
  navOverview: string;
  navComments: string;
  navPolls: string;
  navLists: string;
  navSites: string;
  navUsers: string;
  navAudit: string;

  // Overview
  overviewToday: string;
  overviewMonth: string;
  overviewTotal: string;
  pendingComments: string;
  openPolls: string;
  noOpenPolls: string;
  chartTitle: string;
  /** `%{total}`, `%{max}`, `%{maxDate}`. */
  chartSummary: string;
  chartDate: string;
  chartVisits: string;
  showTable: string;
  hideTable: string;
  allSites: string;
  reviewComments: string;
  noSites: string;

  // Polls
  pollsIntro: string;
  newPoll: string;
  noPolls: string;
  pollList: string;
  pollStatusOpen: string;
  pollStatusUpcoming: string;
  pollStatusClosed: string;
  /** `%{count}` people who voted. */
  pollVoters: Plural;
  /** `%{opens}`, `%{closes}`: dates or `pollNotSet`. */
  pollDates: string;
  pollNotSet: string;
  pollResults: string;
  pollResultsTitle: string;
  pollEdit: string;
  pollOpenNow: string;
  pollCloseNow: string;
  pollDelete: string;
  /** `%{count}` votes that go with it. */
  pollDeleteConfirm: Plural;
  /** Announcements, `%{question}`: the poll's question. */
  pollCreated: string;
  pollSaved: string;
  pollOpened: string;
  pollClosed: string;
  pollDeleted: string;
  backToPolls: string;
  pollFormNew: string;
  pollFormEdit: string;
  pollQuestion: string;
  pollId: string;
  /** `%{tag}`: the embed tag. */
  pollIdHint: string;
  pollOptions: string;
  /** `%{n}`: the option's place. */
  pollOptionLabel: string;
  pollAddOption: string;
  pollMoveUp: string;
  pollMoveDown: string;
  pollRemoveOption: string;
  /** `%{label}` moved to place `%{n}`. */
  pollMoved: string;
  pollKind: string;
  pollSingle: string;
  pollMultiple: string;
  pollMaxChoices: string;
  pollDatesLegend: string;
  pollOpensAt: string;
  pollClosesAt: string;
  pollDatesHint: string;
  pollVisibility: string;
  pollVisAlways: string;
  pollVisAfterVote: string;
  pollVisAfterClose: string;
  pollVisNever: string;
  pollIpCeiling: string;
  pollRequireProof: string;
  pollLocked: string;
  pollCreate: string;
  pollSave: string;
  pollSaving: string;
  /** `%{count}` problems in the form. */
  pollFormInvalid: Plural;
  pollErrQuestion: string;
  pollErrId: string;
  pollErrIdTaken: string;
  pollHasVotes: string;
  pollErrOptionsMin: string;
  pollErrOptionsMax: string;
  pollErrOptionEmpty: string;
  pollErrOptionDuplicate: string;
  pollErrDate: string;
  pollErrClosesBeforeOpens: string;
  /** `%{max}`: the number of options. */
  pollErrMaxChoices: string;
  pollErrIpCeiling: string;
  pollOption: string;
  pollVotes: string;
  pollShare: string;
  /** `%{count}` votes for an option. */
  pollVoteCount: Plural;
  pollMultipleNote: string;
  /** `%{time}`: when the figures were read. */
  pollUpdatedAt: string;
  pollRefreshFailed: string;
  pollCsvDay: string;
  pollCsvHour: string;
  pollEmbed: string;

  // Comments
  commentsIntro: string;
  statusFilter: string;
  statusPending: string;
  statusApproved: string;
  statusRejected: string;
  statusAll: string;
  search: string;
  searchButton: string;
  /** `%{count}` comments. */
  commentCount: Plural;
  noComments: string;
  loadMore: string;
  selectComment: string;
  selectAll: string;
  /** `%{count}` selected. */
  selectedCount: Plural;
  approve: string;
  reject: string;
  reply: string;
  editReply: string;
  deleteComment: string;
  confirmDelete: string;
  cancel: string;
  /** A form's error summary: `%{count}` fields to correct. */
  fixErrors: Plural;
  ban: string;
  unban: string;
  bannedNote: string;
  approveSelected: string;
  rejectSelected: string;
  replyLabel: string;
  saveReply: string;
  removeReply: string;
  officialReply: string;
  onPage: string;
  from: string;
  /** Announcements, `%{name}`: the commenter. */
  approvedOne: string;
  rejectedOne: string;
  deletedOne: string;
  bannedOne: string;
  unbannedOne: string;
  replySaved: string;
  replyRemoved: string;
  /** `%{count}` comments changed by a bulk action. */
  bulkApproved: Plural;
  bulkRejected: Plural;
  actionFailed: string;
  banUnavailable: string;
  forbidden: string;
  replyRequired: string;
  shortcutsTitle: string;
  shortcutsIntro: string;
  keyNext: string;
  keyPrevious: string;
  keySelect: string;
  keyApprove: string;
  keyReject: string;
  keyReply: string;
  keyDelete: string;
  keySearch: string;
}

export const strings: Strings<ConsoleStrings> = {
  vi: {
    appTitle: 'Quản trị civic-widgets',
    skipToContent: 'Bỏ qua, đến nội dung chính',
    language: 'Ngôn ngữ',
    signedInAs: 'Đang đăng nhập',
    roleAdmin: 'Quản trị viên',
    roleEditor: 'Biên tập viên',
    site: 'Trang web',
    signOut: 'Đăng xuất',
    mainNav: 'Chức năng quản trị',
    comingSoon: 'Sắp có',
    comingSoonText: 'Màn hình này đang được xây dựng. Trong lúc chờ, hãy dùng API quản trị.',
    sessionExpired: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
    retry: 'Thử lại',

    signIn: 'Đăng nhập',
    signInIntro: 'Dành cho quản trị viên và biên tập viên của các trang web.',
    email: 'E-mail',
    password: 'Mật khẩu',
    signingIn: 'Đang đăng nhập…',
    invalidCredentials: 'E-mail hoặc mật khẩu không đúng.',
    fieldRequired: 'Vui lòng nhập %{field}.',
    tooManyAttempts: 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %{wait}.',
    tooManyAttemptsLater: 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.',
    minutes: '%{count} phút',
    seconds: '%{count} giây',

    navOverview: 'Tổng quan',
    navComments: 'Bình luận',
    navPolls: 'Thăm dò',
    navLists: 'Khẩu hiệu và liên kết',
    navSites: 'Trang web',
    navUsers: 'Người dùng',
    navAudit: 'Nhật ký',

    overviewToday: 'Lượt truy cập hôm nay',
    overviewMonth: 'Tháng này',
    overviewTotal: 'Tổng số lượt truy cập',
    pendingComments: 'Bình luận chờ duyệt',
    openPolls: 'Thăm dò đang mở',
    noOpenPolls: 'Không có thăm dò nào đang mở.',
    chartTitle: 'Lượt truy cập 30 ngày qua',
    chartSummary:
      'Biểu đồ cột lượt truy cập mỗi ngày: tổng %{total}, cao nhất %{max} vào ngày %{maxDate}.',
    chartDate: 'Ngày',
    chartVisits: 'Lượt truy cập',
    showTable: 'Xem bảng số liệu',
    hideTable: 'Ẩn bảng số liệu',
    allSites: 'Các trang web của bạn',
    reviewComments: 'Duyệt bình luận',
    noSites: 'Tài khoản này chưa được giao trang web nào.',

    pollsIntro:
      'Tạo và sửa thăm dò, mở hoặc đóng, xem kết quả trực tiếp và tải kết quả về dạng CSV.',
    newPoll: 'Tạo thăm dò mới',
    noPolls: 'Trang web này chưa có thăm dò nào.',
    pollList: 'Các thăm dò',
    pollStatusOpen: 'Đang mở',
    pollStatusUpcoming: 'Chưa mở',
    pollStatusClosed: 'Đã đóng',
    pollVoters: '%{count} người đã bình chọn',
    pollDates: 'Mở: %{opens} · Đóng: %{closes}',
    pollNotSet: 'không hẹn giờ',
    pollResults: 'Xem kết quả',
    pollResultsTitle: 'Kết quả thăm dò',
    pollEdit: 'Sửa',
    pollOpenNow: 'Mở ngay',
    pollCloseNow: 'Đóng ngay',
    pollDelete: 'Xoá',
    pollDeleteConfirm: 'Xoá thăm dò này cùng %{count} phiếu bầu của nó?',
    pollCreated: 'Đã tạo thăm dò “%{question}”.',
    pollSaved: 'Đã lưu thăm dò “%{question}”.',
    pollOpened: 'Đã mở thăm dò “%{question}”.',
    pollClosed: 'Đã đóng thăm dò “%{question}”.',
    pollDeleted: 'Đã xoá thăm dò “%{question}”.',
    backToPolls: 'Quay lại danh sách thăm dò',
    pollFormNew: 'Thăm dò mới',
    pollFormEdit: 'Sửa thăm dò',
    pollQuestion: 'Câu hỏi',
    pollId: 'Mã thăm dò',
    pollIdHint:
      'Chữ thường không dấu, số và dấu gạch ngang; không đổi được sau khi tạo. Dùng trong thẻ %{tag}.',
    pollOptions: 'Các lựa chọn',
    pollOptionLabel: 'Lựa chọn %{n}',
    pollAddOption: 'Thêm lựa chọn',
    pollMoveUp: 'Chuyển lên',
    pollMoveDown: 'Chuyển xuống',
    pollRemoveOption: 'Bỏ',
    pollMoved: 'Đã chuyển “%{label}” đến vị trí %{n}.',
    pollKind: 'Cách chọn',
    pollSingle: 'Chọn một lựa chọn',
    pollMultiple: 'Chọn được nhiều lựa chọn',
    pollMaxChoices: 'Chọn tối đa',
    pollDatesLegend: 'Thời gian mở',
    pollOpensAt: 'Mở lúc',
    pollClosesAt: 'Đóng lúc',
    pollDatesHint:
      'Để trống: mở ngay khi lưu, và mở đến khi bạn đóng. Giờ theo đồng hồ của máy bạn.',
    pollVisibility: 'Ai xem được kết quả',
    pollVisAlways: 'Mọi người, bất cứ lúc nào',
    pollVisAfterVote: 'Người đã bình chọn (mọi người, sau khi đóng)',
    pollVisAfterClose: 'Mọi người, sau khi đóng',
    pollVisNever: 'Không công khai',
    pollIpCeiling: 'Số phiếu tối đa từ một mạng mỗi ngày (0: không giới hạn)',
    pollRequireProof: 'Yêu cầu bằng chứng chống máy tự động (proof-of-work) khi bình chọn',
    pollLocked:
      'Thăm dò đã có phiếu bầu: không đổi được các lựa chọn, cách chọn và số lựa chọn tối đa.',
    pollCreate: 'Tạo thăm dò',
    pollSave: 'Lưu thay đổi',
    pollSaving: 'Đang lưu…',
    pollFormInvalid: 'Chưa lưu: vui lòng sửa %{count} lỗi bên dưới.',
    pollErrQuestion: 'Vui lòng nhập câu hỏi.',
    pollErrId:
      'Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang, bắt đầu bằng chữ hoặc số, tối đa 63 ký tự.',
    pollErrIdTaken: 'Trang web đã có một thăm dò với mã này; vui lòng chọn mã khác.',
    pollHasVotes:
      'Không lưu được: thăm dò vừa có phiếu bầu nên các lựa chọn không đổi được nữa. Hãy quay lại danh sách rồi sửa lại.',
    pollErrOptionsMin: 'Cần ít nhất 2 lựa chọn.',
    pollErrOptionsMax: 'Tối đa 20 lựa chọn.',
    pollErrOptionEmpty: 'Lựa chọn này đang trống.',
    pollErrOptionDuplicate: 'Lựa chọn này trùng với một lựa chọn ở trên.',
    pollErrDate: 'Ngày giờ không hợp lệ.',
    pollErrClosesBeforeOpens: 'Thời điểm đóng phải sau thời điểm mở.',
    pollErrMaxChoices: 'Số lựa chọn tối đa phải từ 2 đến %{max}.',
    pollErrIpCeiling: 'Vui lòng nhập một số nguyên từ 0 trở lên.',
    pollOption: 'Lựa chọn',
    pollVotes: 'Số phiếu',
    pollShare: 'Tỉ lệ',
    pollVoteCount: '%{count} phiếu',
    pollMultipleNote:
      'Mỗi người được chọn nhiều lựa chọn: tỉ lệ tính trên số người bình chọn, tổng có thể quá 100%.',
    pollUpdatedAt: 'Cập nhật lúc %{time}; tự làm mới mỗi 5 giây khi trang đang mở.',
    pollRefreshFailed: 'Chưa cập nhật được kết quả, sẽ thử lại:',
    pollCsvDay: 'Tải CSV theo ngày',
    pollCsvHour: 'Tải CSV theo giờ',
    pollEmbed: 'Mã nhúng',

    commentsIntro: 'Bình luận chờ duyệt hiện trước. Bạn đọc chỉ thấy bình luận đã duyệt.',
    statusFilter: 'Trạng thái',
    statusPending: 'Chờ duyệt',
    statusApproved: 'Đã duyệt',
    statusRejected: 'Đã từ chối',
    statusAll: 'Tất cả',
    search: 'Tìm trong bình luận',
    searchButton: 'Tìm',
    commentCount: '%{count} bình luận',
    noComments: 'Không có bình luận nào.',
    loadMore: 'Xem thêm',
    selectComment: 'Chọn bình luận của %{name}',
    selectAll: 'Chọn tất cả',
    selectedCount: 'Đã chọn %{count}',
    approve: 'Duyệt',
    reject: 'Từ chối',
    reply: 'Trả lời',
    editReply: 'Sửa trả lời',
    deleteComment: 'Xoá',
    confirmDelete: 'Xoá hẳn',
    cancel: 'Huỷ',
    fixErrors: 'Chưa lưu: còn %{count} ô cần sửa.',
    ban: 'Chặn mạng gửi',
    unban: 'Bỏ chặn',
    bannedNote: 'Mạng gửi bình luận này đang bị chặn.',
    approveSelected: 'Duyệt các mục đã chọn',
    rejectSelected: 'Từ chối các mục đã chọn',
    replyLabel: 'Trả lời chính thức của cơ quan',
    saveReply: 'Lưu trả lời',
    removeReply: 'Xoá trả lời',
    officialReply: 'Trả lời của cơ quan',
    onPage: 'Trang',
    from: 'Người gửi',
    approvedOne: 'Đã duyệt bình luận của %{name}.',
    rejectedOne: 'Đã từ chối bình luận của %{name}.',
    deletedOne: 'Đã xoá bình luận của %{name}.',
    bannedOne: 'Đã chặn mạng gửi bình luận của %{name}.',
    unbannedOne: 'Đã bỏ chặn mạng gửi bình luận của %{name}.',
    replySaved: 'Đã lưu trả lời.',
    replyRemoved: 'Đã xoá trả lời.',
    bulkApproved: 'Đã duyệt %{count} bình luận.',
    bulkRejected: 'Đã từ chối %{count} bình luận.',
    actionFailed: 'Không thực hiện được:',
    banUnavailable: 'Bình luận này đã quá cũ, không còn nhận ra mạng đã gửi nó; không chặn được.',
    forbidden: 'Tài khoản của bạn không có quyền với trang web này.',
    replyRequired: 'Vui lòng nhập nội dung trả lời.',
    shortcutsTitle: 'Phím tắt',
    shortcutsIntro: 'Dùng được khi một bình luận trong danh sách đang được chọn (focus).',
    keyNext: 'bình luận tiếp theo',
    keyPrevious: 'bình luận trước',
    keySelect: 'chọn / bỏ chọn',
    keyApprove: 'duyệt',
    keyReject: 'từ chối',
    keyReply: 'trả lời',
    keyDelete: 'xoá',
    keySearch: 'tìm kiếm',
  },
  en: {
    appTitle: 'civic-widgets console',
    skipToContent: 'Skip to main content',
    language: 'Language',
    signedInAs: 'Signed in as',
    roleAdmin: 'Administrator',
    roleEditor: 'Editor',
    site: 'Site',
    signOut: 'Sign out',
    mainNav: 'Console sections',
    comingSoon: 'Coming soon',
    comingSoonText: 'This screen is being built. Until then, please use the admin API.',
    sessionExpired: 'Your session has expired. Please sign in again.',
    retry: 'Try again',

    signIn: 'Sign in',
    signInIntro: "For the sites' administrators and editors.",
    email: 'E-mail',
    password: 'Password',
    signingIn: 'Signing in…',
    invalidCredentials: 'The e-mail or password is not correct.',
    fieldRequired: 'Please enter your %{field}.',
    tooManyAttempts: 'Too many failed sign-ins. Please try again in %{wait}.',
    tooManyAttemptsLater: 'Too many failed sign-ins. Please try again later.',
    minutes: { one: '%{count} minute', other: '%{count} minutes' },
    seconds: { one: '%{count} second', other: '%{count} seconds' },

    navOverview: 'Overview',
    navComments: 'Comments',
    navPolls: 'Polls',
    navLists: 'Slogans and links',
    navSites: 'Sites',
    navUsers: 'Users',
    navAudit: 'Audit log',

    overviewToday: 'Visits today',
    overviewMonth: 'This month',
    overviewTotal: 'Total visits',
    pendingComments: 'Comments waiting',
    openPolls: 'Open polls',
    noOpenPolls: 'No poll is open.',
    chartTitle: 'Visits in the last 30 days',
    chartSummary: 'Bar chart of daily visits: %{total} in all, most %{max} on %{maxDate}.',
    chartDate: 'Date',
    chartVisits: 'Visits',
    showTable: 'Show the figures as a table',
    hideTable: 'Hide the table',
    allSites: 'Your sites',
    reviewComments: 'Review comments',
    noSites: 'No site has been assigned to this account yet.',

    pollsIntro:
      'Create and edit polls, open or close them, watch live results and download them as CSV.',
    newPoll: 'New poll',
    noPolls: 'This site has no polls yet.',
    pollList: 'Polls',
    pollStatusOpen: 'Open',
    pollStatusUpcoming: 'Not open yet',
    pollStatusClosed: 'Closed',
    pollVoters: { one: '%{count} person voted', other: '%{count} people voted' },
    pollDates: 'Opens: %{opens} · Closes: %{closes}',
    pollNotSet: 'not set',
    pollResults: 'Results',
    pollResultsTitle: 'Poll results',
    pollEdit: 'Edit',
    pollOpenNow: 'Open now',
    pollCloseNow: 'Close now',
    pollDelete: 'Delete',
    pollDeleteConfirm: {
      one: 'Delete this poll and its %{count} vote?',
      other: 'Delete this poll and its %{count} votes?',
    },
    pollCreated: 'Created the poll “%{question}”.',
    pollSaved: 'Saved the poll “%{question}”.',
    pollOpened: 'Opened the poll “%{question}”.',
    pollClosed: 'Closed the poll “%{question}”.',
    pollDeleted: 'Deleted the poll “%{question}”.',
    backToPolls: 'Back to the polls',
    pollFormNew: 'New poll',
    pollFormEdit: 'Edit the poll',
    pollQuestion: 'Question',
    pollId: 'Poll id',
    pollIdHint:
      'Lowercase letters, digits and hyphens; it cannot change once created. Used in the tag %{tag}.',
    pollOptions: 'Options',
    pollOptionLabel: 'Option %{n}',
    pollAddOption: 'Add an option',
    pollMoveUp: 'Move up',
    pollMoveDown: 'Move down',
    pollRemoveOption: 'Remove',
    pollMoved: 'Moved “%{label}” to place %{n}.',
    pollKind: 'Choices',
    pollSingle: 'One option',
    pollMultiple: 'Several options',
    pollMaxChoices: 'At most',
    pollDatesLegend: 'When it is open',
    pollOpensAt: 'Opens at',
    pollClosesAt: 'Closes at',
    pollDatesHint:
      'Empty: open as soon as saved, and open until you close it. Times in your computer’s clock.',
    pollVisibility: 'Who sees the results',
    pollVisAlways: 'Everyone, at any time',
    pollVisAfterVote: 'Those who voted (everyone once closed)',
    pollVisAfterClose: 'Everyone, once closed',
    pollVisNever: 'Nobody (not published)',
    pollIpCeiling: 'Votes per network per day (0: no limit)',
    pollRequireProof: 'Ask for a proof of work (anti-bot) with each vote',
    pollLocked: 'This poll has votes: its options, choices and maximum can no longer change.',
    pollCreate: 'Create the poll',
    pollSave: 'Save changes',
    pollSaving: 'Saving…',
    pollFormInvalid: {
      one: 'Not saved: please correct the problem below.',
      other: 'Not saved: please correct the %{count} problems below.',
    },
    pollErrQuestion: 'Please write the question.',
    pollErrId:
      'Use lowercase letters, digits and hyphens, starting with a letter or digit, at most 63 characters.',
    pollErrIdTaken: 'This site already has a poll with this id; please choose another.',
    pollHasVotes:
      'Not saved: the poll has just received votes, so its options can no longer change. Go back to the list and edit it again.',
    pollErrOptionsMin: 'A poll needs at least 2 options.',
    pollErrOptionsMax: 'A poll has at most 20 options.',
    pollErrOptionEmpty: 'This option is empty.',
    pollErrOptionDuplicate: 'This option repeats one above.',
    pollErrDate: 'This date and time is not valid.',
    pollErrClosesBeforeOpens: 'The closing time must be after the opening time.',
    pollErrMaxChoices: 'The maximum must be from 2 to %{max}.',
    pollErrIpCeiling: 'Please enter a whole number, 0 or more.',
    pollOption: 'Option',
    pollVotes: 'Votes',
    pollShare: 'Share',
    pollVoteCount: { one: '%{count} vote', other: '%{count} votes' },
    pollMultipleNote:
      'Each person may choose several options: shares are of the people who voted and may add up to more than 100%.',
    pollUpdatedAt: 'Updated at %{time}; refreshed every 5 seconds while this page is shown.',
    pollRefreshFailed: 'The results could not be updated; trying again:',
    pollCsvDay: 'Download CSV by day',
    pollCsvHour: 'Download CSV by hour',
    pollEmbed: 'Embed code',

    commentsIntro: 'Comments waiting for review come first. Readers only see approved comments.',
    statusFilter: 'Status',
    statusPending: 'Waiting',
    statusApproved: 'Approved',
    statusRejected: 'Rejected',
    statusAll: 'All',
    search: 'Search comments',
    searchButton: 'Search',
    commentCount: { one: '%{count} comment', other: '%{count} comments' },
    noComments: 'No comments.',
    loadMore: 'Show more',
    selectComment: 'Select the comment by %{name}',
    selectAll: 'Select all',
    selectedCount: { one: '%{count} selected', other: '%{count} selected' },
    approve: 'Approve',
    reject: 'Reject',
    reply: 'Reply',
    editReply: 'Edit reply',
    deleteComment: 'Delete',
    confirmDelete: 'Delete for good',
    cancel: 'Cancel',
    fixErrors: {
      one: 'Not saved: %{count} field needs correcting.',
      other: 'Not saved: %{count} fields need correcting.',
    },
    ban: 'Ban the network',
    unban: 'Lift the ban',
    bannedNote: 'The network this comment came from is banned.',
    approveSelected: 'Approve selected',
    rejectSelected: 'Reject selected',
    replyLabel: "The agency's official reply",
    saveReply: 'Save reply',
    removeReply: 'Remove reply',
    officialReply: "The agency's reply",
    onPage: 'Page',
    from: 'From',
    approvedOne: 'Approved the comment by %{name}.',
    rejectedOne: 'Rejected the comment by %{name}.',
    deletedOne: 'Deleted the comment by %{name}.',
    bannedOne: 'Banned the network of the comment by %{name}.',
    unbannedOne: 'Lifted the ban on the network of the comment by %{name}.',
    replySaved: 'Reply saved.',
    replyRemoved: 'Reply removed.',
    bulkApproved: { one: 'Approved %{count} comment.', other: 'Approved %{count} comments.' },
    bulkRejected: { one: 'Rejected %{count} comment.', other: 'Rejected %{count} comments.' },
    actionFailed: 'Not done:',
    banUnavailable:
      'This comment is too old: the network it came from can no longer be recognised, so nothing was banned.',
    forbidden: 'Your account has no rights on this site.',
    replyRequired: 'Please write the reply.',
    shortcutsTitle: 'Keyboard shortcuts',
    shortcutsIntro: 'They work while a comment in the list has the focus.',
    keyNext: 'next comment',
    keyPrevious: 'previous comment',
    keySelect: 'select / unselect',
    keyApprove: 'approve',
    keyReject: 'reject',
    keyReply: 'reply',
    keyDelete: 'delete',
    keySearch: 'search',
  },
};

addStrings(strings);
