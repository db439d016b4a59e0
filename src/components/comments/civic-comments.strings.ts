import { addStrings, type Plural, type Strings } from '../../client/i18n/localize.js';

export interface CommentsStrings {
  commentsForm: string;
  commentsRequiredNote: string;
  commentsName: string;
  commentsEmail: string;
  commentsEmailHint: string;
  commentsTitle: string;
  commentsContent: string;
  /** `%{count}` characters left of the maximum. */
  commentsLeft: Plural;
  /** `%{count}` characters over the maximum. */
  commentsOver: Plural;
  commentsSubmit: string;
  commentsSending: string;
  commentsPending: string;
  commentsPublished: string;
  commentsNameMissing: string;
  commentsEmailMissing: string;
  commentsContentMissing: string;
  commentsEmailInvalid: string;
  /** `%{field}` label, `%{max}` characters. */
  commentsTooLong: string;
  /** `%{field}` label. */
  commentsBadChars: string;
  /** `%{field}` label. */
  commentsInvalid: string;
  commentsCaptchaWrong: string;
  commentsCaptchaStale: string;
  commentsBanned: string;
  commentsSpam: string;
  /** `%{count}` approved comments. */
  commentsHeading: string;
  commentsEmpty: string;
  commentsMore: string;
  /** `%{count}` comments appended. */
  commentsLoaded: Plural;
  commentsReply: string;
}

// Joins the keys to the one flat `Translation` (what `registerTranslation()` takes).
declare module '../../client/i18n/localize.js' {
  interface Translation extends CommentsStrings {}
}

export const strings: Strings<CommentsStrings> = {
  vi: {
    commentsForm: 'Gửi ý kiến',
    commentsRequiredNote: 'Các mục có dấu * là bắt buộc.',
    commentsName: 'Tên',
    commentsEmail: 'Email',
    commentsEmailHint: 'Không hiển thị công khai.',
    commentsTitle: 'Tiêu đề',
    commentsContent: 'Nội dung',
    commentsLeft: 'Còn %{count} ký tự',
    commentsOver: 'Vượt quá %{count} ký tự',
    commentsSubmit: 'Gửi ý kiến',
    commentsSending: 'Đang gửi…',
    commentsPending: 'Ý kiến của bạn đang chờ kiểm duyệt.',
    commentsPublished: 'Ý kiến của bạn đã được đăng.',
    commentsNameMissing: 'Vui lòng nhập tên.',
    commentsEmailMissing: 'Vui lòng nhập email.',
    commentsContentMissing: 'Vui lòng nhập nội dung.',
    commentsEmailInvalid: 'Email không hợp lệ (ví dụ: ten@example.vn).',
    commentsTooLong: '%{field} quá dài: tối đa %{max} ký tự.',
    commentsBadChars: '%{field} có ký tự không được phép.',
    commentsInvalid: '%{field} không hợp lệ.',
    commentsCaptchaWrong: 'Mã xác nhận không đúng. Vui lòng nhập mã mới.',
    commentsCaptchaStale: 'Mã xác nhận đã hết hạn hoặc đã được dùng. Vui lòng nhập mã mới.',
    commentsBanned: 'Không thể gửi ý kiến từ mạng của bạn tới trang này.',
    commentsSpam: 'Không gửi được ý kiến. Vui lòng tải lại trang rồi thử lại.',
    commentsHeading: 'Ý kiến độc giả (%{count})',
    commentsEmpty: 'Chưa có ý kiến nào.',
    commentsMore: 'Xem thêm',
    commentsLoaded: 'Đã tải thêm %{count} ý kiến.',
    commentsReply: 'Trả lời của cơ quan',
  },
  en: {
    commentsForm: 'Send a comment',
    commentsRequiredNote: 'Fields marked * are required.',
    commentsName: 'Name',
    commentsEmail: 'Email',
    commentsEmailHint: 'Never shown publicly.',
    commentsTitle: 'Title',
    commentsContent: 'Content',
    commentsLeft: { one: '%{count} character left', other: '%{count} characters left' },
    commentsOver: { one: '%{count} character too many', other: '%{count} characters too many' },
    commentsSubmit: 'Send comment',
    commentsSending: 'Sending…',
    commentsPending: 'Your comment awaits moderation.',
    commentsPublished: 'Your comment has been published.',
    commentsNameMissing: 'Enter your name.',
    commentsEmailMissing: 'Enter your email address.',
    commentsContentMissing: 'Enter your comment.',
    commentsEmailInvalid: 'Enter an email address like name@example.com.',
    commentsTooLong: '%{field} is too long: at most %{max} characters.',
    commentsBadChars: '%{field} contains characters that are not allowed.',
    commentsInvalid: '%{field} is not valid.',
    commentsCaptchaWrong: 'The code was wrong. Please enter the new code.',
    commentsCaptchaStale: 'The code expired or was already used. Please enter the new code.',
    commentsBanned: 'Comments from your network are blocked on this site.',
    commentsSpam: 'Your comment could not be sent. Reload the page and try again.',
    commentsHeading: "Readers' comments (%{count})",
    commentsEmpty: 'No comments yet.',
    commentsMore: 'Load more',
    commentsLoaded: {
      one: 'Loaded %{count} more comment.',
      other: 'Loaded %{count} more comments.',
    },
    commentsReply: "The agency's reply",
  },
};

addStrings(strings);
