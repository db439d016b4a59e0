/** The words of the no-JavaScript pages, in Vietnamese and English; error messages by API error code. */
export type Lang = 'vi' | 'en';

const vi = {
  pollTitle: 'Thăm dò ý kiến',
  commentsTitle: 'Ý kiến bạn đọc',
  otherLang: 'English',
  otherLangName: 'en',
  chooseOne: 'Chọn một phương án.',
  chooseUpTo: (n: number) => `Chọn tối đa ${n} phương án.`,
  vote: 'Biểu quyết',
  voted: 'Cảm ơn bạn đã biểu quyết.',
  votedAgain: 'Bạn đã biểu quyết trong cuộc thăm dò này; phiếu của bạn được giữ nguyên.',
  yourChoice: 'Lựa chọn của bạn',
  closed: 'Cuộc thăm dò đã kết thúc.',
  upcoming: (at: string) => `Cuộc thăm dò mở lúc ${at}.`,
  results: 'Kết quả',
  option: 'Phương án',
  votes: 'Số phiếu',
  share: 'Tỉ lệ',
  voters: (n: string, _count: number) => `${n} người đã biểu quyết.`,
  resultsHidden: 'Kết quả sẽ được công bố sau.',
  problem: 'Có lỗi',
  name: 'Họ và tên',
  email: 'Thư điện tử',
  emailHint: 'Không hiển thị công khai.',
  titleField: 'Tiêu đề (không bắt buộc)',
  content: 'Nội dung',
  captcha: 'Mã xác nhận',
  captchaHint: 'Nhập các ký tự trong hình. Không đọc được? Tải lại trang để lấy mã mới.',
  captchaAlt: 'Mã xác nhận: hình gồm các chữ cái và chữ số cần nhập vào ô bên dưới',
  captchaNeedsJs: 'Trang web này chỉ nhận ý kiến qua kiểm tra tự động, cần bật JavaScript.',
  send: 'Gửi ý kiến',
  sentPending: 'Cảm ơn bạn. Ý kiến đã được gửi và sẽ hiển thị sau khi được duyệt.',
  sentApproved: 'Cảm ơn bạn. Ý kiến của bạn đã được đăng.',
  newComment: 'Gửi ý kiến',
  noComments: 'Chưa có ý kiến nào.',
  commentCount: (n: string, _count: number) => `${n} ý kiến`,
  older: 'Ý kiến cũ hơn',
  agencyReply: 'Trả lời của cơ quan',
  errorTitle: 'Không thực hiện được yêu cầu',
  back: 'Quay lại',
  errors: {
    invalid_choices: 'Hãy chọn một phương án hợp lệ.',
    no_voter: 'Trình duyệt không gửi cookie biểu quyết. Hãy bật cookie cho trang này rồi thử lại.',
    invalid_voter: 'Phiên biểu quyết không hợp lệ. Hãy tải lại trang rồi thử lại.',
    poll_closed: 'Cuộc thăm dò đã kết thúc.',
    poll_not_open: 'Cuộc thăm dò chưa mở.',
    poll_changed: 'Cuộc thăm dò vừa được thay đổi. Hãy thử lại.',
    vote_limit: 'Có quá nhiều phiếu từ mạng của bạn hôm nay. Hãy thử lại vào ngày mai.',
    invalid_name: 'Nhập họ và tên (tối đa 80 ký tự).',
    invalid_email: 'Nhập địa chỉ thư điện tử đúng dạng, ví dụ ten@example.vn.',
    invalid_title: 'Tiêu đề tối đa 150 ký tự, không chứa ký tự điều khiển.',
    invalid_content: 'Nhập nội dung (tối đa 3000 ký tự).',
    captcha_required: 'Nhập mã xác nhận trong hình.',
    captcha_invalid: 'Mã xác nhận không đúng. Hãy nhập mã trong hình mới.',
    captcha_expired: 'Mã xác nhận đã hết hạn. Hãy nhập mã trong hình mới.',
    captcha_used: 'Mã xác nhận đã được dùng. Hãy nhập mã trong hình mới.',
    captcha_mismatch: 'Mã xác nhận không dành cho biểu mẫu này. Hãy nhập mã trong hình mới.',
    spam_detected: 'Biểu mẫu bị từ chối.',
    banned: 'Ý kiến từ mạng của bạn đang bị chặn trên trang này.',
    rate_limited: 'Bạn gửi quá nhiều yêu cầu. Hãy chờ một lát rồi thử lại.',
    origin_not_allowed: 'Biểu mẫu này chỉ được gửi từ trang của cổng thông tin.',
    origin_required: 'Trình duyệt không cho biết biểu mẫu được gửi từ đâu nên yêu cầu bị từ chối.',
    not_found: 'Không tìm thấy trang.',
    payload_too_large: 'Nội dung gửi quá dài.',
    unavailable: 'Hệ thống đang bận. Hãy thử lại sau ít phút.',
    internal: 'Đã có lỗi của hệ thống. Hãy thử lại sau.',
    other: 'Yêu cầu không hợp lệ.',
  } as Record<string, string>,
};

const en: typeof vi = {
  pollTitle: 'Poll',
  commentsTitle: 'Readers’ comments',
  otherLang: 'Tiếng Việt',
  otherLangName: 'vi',
  chooseOne: 'Choose one option.',
  chooseUpTo: (n) => `Choose up to ${n} options.`,
  vote: 'Vote',
  voted: 'Thank you for voting.',
  votedAgain: 'You have already voted in this poll; your vote stays as it was.',
  yourChoice: 'Your choice',
  closed: 'This poll is closed.',
  upcoming: (at) => `This poll opens at ${at}.`,
  results: 'Results',
  option: 'Option',
  votes: 'Votes',
  share: 'Share',
  voters: (n, count) => (count === 1 ? '1 person has voted.' : `${n} people have voted.`),
  resultsHidden: 'The results will be published later.',
  problem: 'There is a problem',
  name: 'Full name',
  email: 'Email address',
  emailHint: 'Not shown publicly.',
  titleField: 'Title (optional)',
  content: 'Comment',
  captcha: 'Confirmation code',
  captchaHint:
    'Type the characters in the picture. Cannot read it? Reload the page for a new code.',
  captchaAlt: 'Confirmation code: a picture of letters and digits to type in the box below',
  captchaNeedsJs:
    'This site accepts comments only with the automatic check, which needs JavaScript.',
  send: 'Send comment',
  sentPending: 'Thank you. Your comment was sent and will appear once it is approved.',
  sentApproved: 'Thank you. Your comment is published.',
  newComment: 'Add a comment',
  noComments: 'No comments yet.',
  commentCount: (n, count) => (count === 1 ? '1 comment' : `${n} comments`),
  older: 'Older comments',
  agencyReply: 'Reply from the agency',
  errorTitle: 'The request could not be completed',
  back: 'Go back',
  errors: {
    invalid_choices: 'Choose a valid option.',
    no_voter:
      'Your browser did not send the voting cookie. Allow cookies for this page and try again.',
    invalid_voter: 'Your voting session is not valid. Reload the page and try again.',
    poll_closed: 'This poll is closed.',
    poll_not_open: 'This poll is not open yet.',
    poll_changed: 'The poll has just been changed. Try again.',
    vote_limit: 'Too many votes from your network today. Try again tomorrow.',
    invalid_name: 'Enter your full name (at most 80 characters).',
    invalid_email: 'Enter an email address in the correct format, like name@example.com.',
    invalid_title: 'The title is at most 150 characters, without control characters.',
    invalid_content: 'Enter your comment (at most 3000 characters).',
    captcha_required: 'Enter the confirmation code shown in the picture.',
    captcha_invalid: 'The confirmation code is wrong. Enter the code in the new picture.',
    captcha_expired: 'The confirmation code expired. Enter the code in the new picture.',
    captcha_used: 'The confirmation code was already used. Enter the code in the new picture.',
    captcha_mismatch:
      'The confirmation code is not for this form. Enter the code in the new picture.',
    spam_detected: 'The form was refused.',
    banned: 'Comments from your network are blocked on this site.',
    rate_limited: 'Too many requests. Wait a moment and try again.',
    origin_not_allowed: 'This form can only be sent from the portal’s own page.',
    origin_required: 'Your browser did not say where the form was sent from, so it was refused.',
    not_found: 'Page not found.',
    payload_too_large: 'What you sent is too long.',
    unavailable: 'The service is busy. Try again in a few minutes.',
    internal: 'Something went wrong on our side. Try again later.',
    other: 'The request is not valid.',
  },
};

export const STRINGS: Record<Lang, typeof vi> = { vi, en };
export type Strings = typeof vi;

/** The message for an error code, in `lang`. */
export const errorText = (t: Strings, code: string) => t.errors[code] ?? t.errors.other!;

/** `?lang=` first, then the first of vi / en in Accept-Language (by q), else Vietnamese. */
export function pickLang(query: string | undefined, accept: string | undefined): Lang {
  if (query === 'vi' || query === 'en') return query;
  const ranked = (accept ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.split('-')[0], q: q === undefined ? 1 : Number(q) };
    })
    .filter((x) => (x.lang === 'vi' || x.lang === 'en') && x.q > 0)
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Lang | undefined) ?? 'vi';
}
