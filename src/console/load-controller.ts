import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What a `LoadController` loads and where the result goes. */
export interface LoadOptions<T> {
  /**
   * Starts the request (`more`: the next page after the ones shown), or says there is nothing
   * to load (undefined), e.g. while no site is chosen. Runs after the previous load is aborted.
   */
  request(signal: AbortSignal, more: boolean): Promise<T> | undefined;
  /** Takes a result in; never called for a load that a newer one or the element's removal cut off. */
  apply(result: T, more: boolean): void;
  /** The words for a failed load: shown (`error`) and announced. */
  describe(e: unknown): string;
  announce(message: string): void;
  /** When to load by itself: when the host's `site` changes (default), or each time it is connected. */
  auto?: 'site' | 'connect';
}

/**
 * A console screen's load cycle: one request at a time (a new load aborts the one under way, and
 * so does removing the element), `loading` while it runs, `error` when it failed (announced).
 * Loads by itself when the host's `site` changes — in the update, before rendering, so what a
 * load sets at once joins that update — or, with `auto: 'connect'`, when the host is connected.
 */
export class LoadController<T> implements ReactiveController {
  /** A load is under way. */
  loading = false;
  /** Why the last load failed ('' when it did not). */
  error = '';
  private aborter?: AbortController;
  /** The host's `site` as last seen (`auto: 'site'`). */
  private site?: string;

  constructor(
    private readonly host: ReactiveControllerHost & { site?: string },
    private readonly options: LoadOptions<T>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.options.auto === 'connect') void this.load();
  }

  hostUpdate(): void {
    if ((this.options.auto ?? 'site') !== 'site' || this.host.site === this.site) return;
    this.site = this.host.site;
    void this.load();
  }

  hostDisconnected(): void {
    this.aborter?.abort();
  }

  /** Loads again (or, with `more`, the next page). */
  async load(more = false): Promise<void> {
    this.aborter?.abort();
    const aborter = new AbortController();
    const { signal } = aborter;
    let request: Promise<T> | undefined;
    try {
      request = this.options.request(signal, more);
    } catch (e) {
      request = Promise.reject(e);
    }
    if (!request) return;
    this.aborter = aborter;
    this.loading = true;
    this.error = '';
    this.host.requestUpdate();
    try {
      const result = await request;
      if (signal.aborted) return;
      this.options.apply(result, more);
    } catch (e) {
      if (signal.aborted) return;
      this.error = this.options.describe(e);
      this.options.announce(this.error);
    } finally {
      if (!signal.aborted) {
        this.loading = false;
        this.host.requestUpdate();
      }
    }
  }
}

/** `items` followed by those of `more` it does not hold yet (by id): a next page after a change. */
export function appendNew<I extends { id: string }>(items: I[], more: I[]): I[] {
  const known = new Set(items.map((i) => i.id));
  return [...items, ...more.filter((i) => !known.has(i.id))];
}
