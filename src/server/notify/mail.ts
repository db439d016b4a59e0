/**
 * The moderators' e-mail: one plain-text message, Vietnamese first then English (a site has no
 * language setting), with how many comments wait and the link to the site's queue. It holds no
 * commenter's name, e-mail or text: only counts and the site.
 */
import { createTransport, type Transporter } from 'nodemailer';

export interface WaitingMail {
  siteId: string;
  siteName: string;
  pending: number;
  /** `<PUBLIC_URL>/admin/#/comments?site=<id>` (a path when PUBLIC_URL is unset). */
  link: string;
}

const number = (locale: string, n: number) => new Intl.NumberFormat(locale).format(n);

export function queueLink(publicUrl: string | undefined, site: string): string {
  return `${publicUrl ?? ''}/admin/#/comments?site=${encodeURIComponent(site)}`;
}

/** Subject and text of the mail. */
export function composeMail({ siteId, siteName, pending, link }: WaitingMail) {
  const vi = number('vi-VN', pending);
  const en = number('en', pending);
  const enNoun = pending === 1 ? 'comment is' : 'comments are';
  const subject = `[${siteId}] ${vi} bình luận chờ duyệt / ${en} ${enNoun.split(' ')[0]!} waiting`;
  const text = [
    `Trang "${siteName}" (${siteId}) có ${vi} bình luận đang chờ duyệt.`,
    `Duyệt tại: ${link}`,
    '',
    `Thư này được gửi tối đa một lần mỗi khoảng thời gian đã đặt; các bình luận mới sẽ được gộp vào thư sau.`,
    '',
    '---',
    '',
    `${en} ${enNoun} waiting for moderation on "${siteName}" (${siteId}).`,
    `Review them at: ${link}`,
    '',
    'This message is sent at most once per set interval; newer comments are gathered into the next one.',
    '',
  ].join('\n');
  return { subject, text };
}

export interface Mailer {
  send(to: string[], mail: WaitingMail): Promise<void>;
  close(): void;
}

/** A nodemailer SMTP transport from `SMTP_URL`, with timeouts that never let a dead server hang. */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport: Transporter = createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(to, mail) {
      const { subject, text } = composeMail(mail);
      // The moderators are Bcc: one message, no one sees the others' addresses.
      await transport.sendMail({ from, bcc: to, subject, text });
    },
    close: () => transport.close(),
  };
}
