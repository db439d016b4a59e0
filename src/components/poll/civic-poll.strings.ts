import { addStrings, type Plural, type Strings } from '../../client/i18n/localize.js';

export interface PollStrings {
  pollVote: string;
  pollSending: string;
  pollViewResults: string;
  pollBack: string;
  pollChooseOne: string;
  /** `%{count}`: the poll's maximum number of choices. */
  pollMaxHint: Plural;
  pollMaxReached: Plural;
  /** `%{count}` votes for one option. */
  pollVotes: Plural;
  /** `%{count}` people who voted. */
  pollTotal: Plural;
  /** `%{option}`, `%{percent}`. */
  pollLeader: string;
  /** `%{options}` (a list), `%{percent}`. */
  pollTie: string;
  pollNoVotes: string;
  pollThanks: string;
  pollVoted: string;
  /** `%{options}`: the voter's choices. */
  pollYourChoice: string;
  pollYourChoiceMark: string;
  /** `%{date}` is replaced by a `<time>`. */
  pollOpensAt: string;
  pollClosesAt: string;
  pollClosedAt: string;
  pollClosed: string;
  pollResultsAfterVote: string;
  pollResultsAfterClose: string;
  pollResultsNever: string;
  pollVoteLimit: string;
  /** The poll requires the captcha and it has no token yet. */
  pollCaptchaRequired: string;
  /** The server refused the captcha token (used, expired, wrong): a new check is loading. */
  pollCaptchaFailed: string;
}

// Joins the keys to the one flat `Translation` (what `registerTranslation()` takes).
declare module '../../client/i18n/localize.js' {
  interface Translation extends PollStrings {}
}

export const strings: Strings<PollStrings> = {
  vi: {
    pollVote: 'Gửi bình chọn',
    pollSending: 'Đang gửi bình chọn…',
    pollViewResults: 'Xem kết quả',
    pollBack: 'Quay lại bình chọn',
    pollChooseOne: 'Vui lòng chọn một phương án.',
    pollMaxHint: 'Chọn tối đa %{count} phương án.',
    pollMaxReached: 'Bạn chỉ được chọn tối đa %{count} phương án.',
    pollVotes: '%{count} phiếu',
    pollTotal: 'Tổng cộng %{count} người đã bình chọn.',
    pollLeader: 'Dẫn đầu: %{option} (%{percent}).',
    pollTie: 'Đồng dẫn đầu: %{options} (%{percent}).',
    pollNoVotes: 'Chưa có lượt bình chọn nào.',
    pollThanks: 'Cảm ơn bạn đã bình chọn.',
    pollVoted: 'Bạn đã bình chọn.',
    pollYourChoice: 'Bạn đã chọn: %{options}.',
    pollYourChoiceMark: '(bạn chọn)',
    pollOpensAt: 'Cuộc thăm dò chưa bắt đầu. Thời gian bắt đầu: %{date}.',
    pollClosesAt: 'Hạn bình chọn: %{date}.',
    pollClosedAt: 'Cuộc thăm dò đã kết thúc (%{date}).',
    pollClosed: 'Cuộc thăm dò đã kết thúc.',
    pollResultsAfterVote: 'Kết quả được hiển thị sau khi bạn bình chọn.',
    pollResultsAfterClose: 'Kết quả sẽ được công bố khi cuộc thăm dò kết thúc.',
    pollResultsNever: 'Kết quả không được công bố tại đây.',
    pollVoteLimit:
      'Mạng của bạn đã gửi quá nhiều lượt bình chọn hôm nay. Vui lòng thử lại vào ngày mai.',
    pollCaptchaRequired: 'Vui lòng hoàn tất bước xác minh bên dưới rồi gửi bình chọn.',
    pollCaptchaFailed: 'Bước xác minh không được chấp nhận. Vui lòng làm lại rồi gửi bình chọn.',
  },
  en: {
    pollVote: 'Vote',
    pollSending: 'Sending your vote…',
    pollViewResults: 'View results',
    pollBack: 'Back to voting',
    pollChooseOne: 'Please choose an option.',
    pollMaxHint: { one: 'Choose up to %{count} option.', other: 'Choose up to %{count} options.' },
    pollMaxReached: {
      one: 'You can choose at most %{count} option.',
      other: 'You can choose at most %{count} options.',
    },
    pollVotes: { one: '%{count} vote', other: '%{count} votes' },
    pollTotal: { one: '%{count} person has voted.', other: '%{count} people have voted.' },
    pollLeader: 'Leading: %{option} (%{percent}).',
    pollTie: 'Tied for the lead: %{options} (%{percent}).',
    pollNoVotes: 'No votes yet.',
    pollThanks: 'Thank you for voting.',
    pollVoted: 'You have voted.',
    pollYourChoice: 'Your choice: %{options}.',
    pollYourChoiceMark: '(your choice)',
    pollOpensAt: 'This poll opens on %{date}.',
    pollClosesAt: 'Voting closes on %{date}.',
    pollClosedAt: 'This poll closed on %{date}.',
    pollClosed: 'This poll is closed.',
    pollResultsAfterVote: 'The results are shown once you have voted.',
    pollResultsAfterClose: 'The results will be published when the poll closes.',
    pollResultsNever: 'The results are not published here.',
    pollVoteLimit: 'Too many votes have come from your network today. Please try again tomorrow.',
    pollCaptchaRequired: 'Please complete the check below, then vote.',
    pollCaptchaFailed: 'The check was not accepted. Please complete it again, then vote.',
  },
};

addStrings(strings);
