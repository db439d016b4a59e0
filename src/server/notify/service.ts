/**
 * The notifier: hears of each comment stored as pending (comments/service.ts `commentWaiting`)
 * and, after the answer has gone, e-mails the site's moderators (at most once per site per
 * NOTIFY_INTERVAL_MINUTES, throttled in the database) and calls the site's webhook. Nothing here
 * can block, delay or lose a comment: the work runs on its own, failures are logged without
 * personal data (the site and an error code) and the mail is tried again at the next window.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { CommentWaiting } from '../comments/service.js';
import { queueLink, type Mailer } from './mail.js';
import type { NotifyStore } from './store.js';
import { postWebhook } from './webhook.js';

export interface NotifierOptions {
  store: NotifyStore;
  mailer: Mailer | undefined;
  now: () => number;
  log: FastifyBaseLogger;
  windowMs: number;
  publicUrl: string | undefined;
  allowPrivate: boolean;
  /** Waits before the webhook's second and third tries. */
  retryDelaysMs?: number[];
}

/** What the webhook receives (signed): no commenter's name, e-mail or address. */
export interface WebhookPayload {
  site: string;
  thread: string;
  commentId: string;
  /** Comments waiting on the site, this one included. */
  pending: number;
  /** Unix seconds, as `X-Civic-Timestamp` (inside the signed body, so replays can be told). */
  timestamp: number;
}

/** An error's code for the log (`ECONNREFUSED`, `EAUTH`…): never its message, which may hold addresses. */
const codeOf = (err: unknown) =>
  (err as { code?: unknown } | null)?.code?.toString() ?? (err as Error | null)?.name ?? 'Error';

export class Notifier {
  private readonly tasks = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly retryDelaysMs: number[];

  constructor(private readonly o: NotifierOptions) {
    this.retryDelaysMs = o.retryDelaysMs ?? [500, 2_000];
  }

  /** A comment waits: queue its notifications (returns at once, never throws). */
  waiting(comment: Pick<CommentWaiting, 'site' | 'thread' | 'id'>): void {
    if (this.stop.signal.aborted) return;
    this.track(async () => {
      // After the answer: the route's reply is sent in this turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      const { site } = comment;
      const settings = await this.o.store.settings(site);
      await Promise.all([
        this.o.mailer && settings.emails ? this.mailSoon(site) : undefined,
        settings.webhookUrl ? this.callWebhook(comment) : undefined,
      ]);
    });
  }

  /** Sends each owed mail whose window has passed (the timer calls it; so may tests). */
  async flush(): Promise<void> {
    if (!this.o.mailer) return;
    for (const site of await this.o.store.dueSites(this.o.now(), this.o.windowMs))
      await this.sendIfDue(site);
  }

  /** Resolves once no notification work is running. */
  async idle(): Promise<void> {
    while (this.tasks.size) await Promise.allSettled([...this.tasks]);
  }

  /** Checks for owed mails every minute (or every window, if shorter). */
  start(): void {
    if (!this.o.mailer) return;
    this.timer = setInterval(
      () => this.track(() => this.flush()),
      Math.min(60_000, this.o.windowMs),
    );
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.stop.abort();
    await this.idle();
    this.o.mailer?.close();
  }

  private track(work: () => Promise<void>): void {
    const task = work().catch((err: unknown) =>
      this.o.log.error({ code: codeOf(err) }, 'notification failed'),
    );
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  private async mailSoon(site: string): Promise<void> {
    await this.o.store.markDue(site, this.o.now());
    await this.sendIfDue(site);
  }

  /** Claims and sends the site's owed mail if its window has passed; puts it back on failure. */
  private async sendIfDue(site: string): Promise<void> {
    const { store, mailer, now, log } = this.o;
    if (!mailer) return;
    const at = now();
    if (!(await store.claim(site, at, this.o.windowMs))) return;
    try {
      const settings = await store.settings(site);
      if (!settings.emails) return;
      const [pending, to, name] = await Promise.all([
        store.pendingCount(site),
        store.moderators(site),
        store.siteName(site),
      ]);
      if (pending === 0 || to.length === 0) return;
      await mailer.send(to, {
        siteId: site,
        siteName: name ?? site,
        pending,
        link: queueLink(this.o.publicUrl, site),
      });
      log.info({ site, pending, recipients: to.length }, 'moderators notified by e-mail');
    } catch (err) {
      await store.release(site, at);
      log.warn({ site, code: codeOf(err) }, 'notification e-mail failed; retried next window');
    }
  }

  /** POSTs the signed payload; retries a failure (no answer, 429, 5xx) with backoff. */
  private async callWebhook(comment: Pick<CommentWaiting, 'site' | 'thread' | 'id'>) {
    const { store, now, log } = this.o;
    const hook = await store.webhook(comment.site);
    if (!hook) return;
    const at = now();
    const payload: WebhookPayload = {
      site: comment.site,
      thread: comment.thread,
      commentId: comment.id,
      pending: await store.pendingCount(comment.site),
      timestamp: Math.floor(at / 1000),
    };
    const body = JSON.stringify(payload);
    const signal = this.stop.signal;
    for (let attempt = 0; ; attempt++) {
      const result = await postWebhook(hook.url, hook.secret, body, {
        allowPrivate: this.o.allowPrivate,
        now: at,
        signal,
      });
      if (result.status >= 200 && result.status < 300) return;
      const retry =
        result.code !== 'EADDRBLOCKED' &&
        (result.status === 0 || result.status === 429 || result.status >= 500);
      const delay = this.retryDelaysMs[attempt];
      if (!retry || delay === undefined || signal.aborted) {
        log.warn(
          { site: comment.site, status: result.status, code: result.code, attempts: attempt + 1 },
          'webhook call failed',
        );
        return;
      }
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        return; // closing
      }
    }
  }
}
