/**
 * A stand-in for the server's auth and admin API, by route, as the console calls it: a
 * `window.fetch` stub over in-memory users, sites, visits, polls and comments that follows the
 * API's contract (status codes, bodies, 204s, `{error:{code,message}}`). No network is used.
 * Tests change its data, make the next matching request fail, or hold a request to look at the
 * page while it is on its way.
 */
import type {
  AdminComment,
  AdminPoll,
  DailyVisits,
  Me,
  SiteSummary,
} from '../../src/console/api.js';
import { FakeAccounts } from './fake-accounts.js';

export interface FakeCall {
  method: string;
  /** `pathname` + `search`. */
  path: string;
  body: unknown;
  credentials?: RequestCredentials;
  headers: Record<string, string>;
}

export interface FakeAnswer {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
}

export const PASSWORD = 'đúng-mật-khẩu-1234';

export const ADMIN: Me = {
  email: 'admin@example.gov.vn',
  name: 'Nguyễn Văn An',
  role: 'admin',
  sites: [],
};
export const EDITOR: Me = {
  email: 'bientap@soyte.gov.vn',
  name: 'Trần Thị Bình',
  role: 'editor',
  sites: ['so-y-te'],
};

export const SITES: SiteSummary[] = [
  { id: 'demo', name: 'Cổng thông tin tỉnh' },
  { id: 'so-y-te', name: 'Sở Y tế' },
];

/** 30 days ending 2026-11-30: visits 100 + 10·i, except a peak of 987 on 2026-11-20. */
export function dailyVisits(days = 30, offset = 0): DailyVisits {
  const list = Array.from({ length: days }, (_, i) => {
    const date = new Date(Date.UTC(2026, 10, 30 - (days - 1 - i))).toISOString().slice(0, 10);
    return { date, visits: date === '2026-11-20' ? 987 : 100 + 10 * i + offset };
  });
  return {
    days: list,
    today: list.at(-1)!.visits,
    month: 12_345 + offset,
    total: 1_414_428 + offset,
  };
}

/** A poll as the admin API shows it; votes per option in `votes` (voters: their sum, one choice each). */
export function poll(
  id: string,
  question: string,
  votes: Record<string, number>,
  over: Partial<AdminPoll> = {},
): AdminPoll {
  const options = Object.entries(votes).map(([label, n], i) => ({
    id: `o${i + 1}`,
    label,
    votes: n,
  }));
  return {
    id,
    question,
    options,
    multiple: false,
    maxChoices: 1,
    opensAt: '2026-11-01T01:00:00.000Z',
    closesAt: null,
    status: 'open',
    resultsVisibility: 'always',
    ipCeiling: 100,
    requireProof: false,
    voters: options.reduce((sum, o) => sum + o.votes, 0),
    createdAt: '2026-11-01T01:00:00.000Z',
    updatedAt: '2026-11-01T01:00:00.000Z',
    ...over,
  };
}

export function comment(n: number, over: Partial<AdminComment> = {}): AdminComment {
  return {
    id: `comment000000${String(n).padStart(3, '0')}`,
    thread: `/tin-tuc/${n}`,
    name: `Bạn đọc ${n}`,
    email: `bandoc${n}@example.com`,
    title: `Góp ý số ${n}`,
    content: `Nội dung góp ý số ${n}.`,
    status: 'pending',
    createdAt: new Date(Date.UTC(2026, 10, 30, 8, 60 - n)).toISOString(),
    banned: false,
    ...over,
  };
}

const error = (status: number, code: string, message = code): FakeAnswer => ({
  status,
  json: { error: { code, message } },
});

export class FakeAdminApi {
  calls: FakeCall[] = [];
  /** The signed-in user, or null. */
  me: Me | null = null;
  users = [ADMIN, EDITOR];
  /** Accounts, API tokens and the audit log (admin `/users`, `/tokens`, `/audit`). */
  accounts = new FakeAccounts();
  sites = [...SITES];
  visits: Record<string, DailyVisits> = { demo: dailyVisits(), 'so-y-te': dailyVisits(30, 5) };
  polls: Record<string, AdminPoll[]> = {
    demo: [
      poll('danh-gia', 'Bạn đánh giá như thế nào về cổng thông tin này?', {
        'Rất tốt': 20,
        Tốt: 12,
        'Bình thường': 7,
        'Chưa tốt': 3,
      }),
      poll(
        'cu',
        'Thăm dò đã đóng',
        { Có: 5, Không: 2 },
        { status: 'closed', closesAt: '2026-11-20T10:00:00.000Z' },
      ),
    ],
    'so-y-te': [],
  };
  comments: Record<string, AdminComment[]> = {
    demo: [comment(1), comment(2), comment(3), comment(4, { status: 'approved' })],
    'so-y-te': [comment(9)],
  };
  private overrides: {
    method: string;
    part: string;
    answer: (call: FakeCall) => Promise<FakeAnswer> | FakeAnswer;
  }[] = [];
  private readonly original = window.fetch;

  constructor() {
    window.fetch = (input, init = {}) => this.fetch(input, init);
  }

  restore(): void {
    window.fetch = this.original;
  }

  /** The next `method` request whose path contains `part` gets `answer` instead. */
  answerNext(method: string, part: string, answer: FakeAnswer): void {
    this.overrides.push({ method, part, answer: () => answer });
  }

  /** The next matching request waits for `release()`, then is answered as usual. */
  hold(method: string, part: string): { release: () => void } {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    this.overrides.push({
      method,
      part,
      answer: async (call) => {
        await gate;
        return this.route(call);
      },
    });
    return { release };
  }

  callsTo(part: string, method?: string): FakeCall[] {
    return this.calls.filter((c) => c.path.includes(part) && (!method || c.method === method));
  }

  private async fetch(input: RequestInfo | URL, init: RequestInit): Promise<Response> {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const call: FakeCall = {
      method: (init.method ?? 'GET').toUpperCase(),
      path: url.pathname + url.search,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      credentials: init.credentials,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
    };
    this.calls.push(call);
    const i = this.overrides.findIndex(
      (o) => o.method === call.method && call.path.includes(o.part),
    );
    const override = i >= 0 ? this.overrides.splice(i, 1)[0] : undefined;
    const answer = override ? await override.answer(call) : this.route(call);
    if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    const headers = new Headers(answer.headers);
    if (answer.json !== undefined) headers.set('Content-Type', 'application/json; charset=utf-8');
    return new Response(answer.json === undefined ? null : JSON.stringify(answer.json), {
      status: answer.status,
      headers,
    });
  }

  protected route({ method, path, body }: FakeCall): FakeAnswer {
    const url = new URL(path, location.origin);
    const p = url.pathname.replace(/^\/api\/v1/, '');
    if (p === '/auth/login' && method === 'POST') {
      const { email, password } = body as { email: string; password: string };
      const user = this.users.find((u) => u.email === email);
      if (!user || password !== PASSWORD)
        return error(401, 'invalid_credentials', 'Wrong e-mail or password');
      this.me = user;
      return { status: 200, json: user };
    }
    if (p === '/auth/logout' && method === 'POST') {
      this.me = null;
      return { status: 204 };
    }
    if (!this.me) return error(401, 'unauthorized', 'Sign in first');
    if (p === '/auth/me') return { status: 200, json: this.me };
    if (p === '/admin/sites') {
      return this.me.role === 'admin'
        ? { status: 200, json: { items: this.sites } }
        : error(403, 'forbidden');
    }
    const m = /^\/admin\/sites\/([^/]+)(\/.*)?$/.exec(p);
    const accounts = m ? undefined : this.accounts.route(this.me, method, p, url, body);
    if (accounts) return accounts;
    if (!m) return error(404, 'not_found');
    const site = decodeURIComponent(m[1]!);
    const rest = m[2] ?? '';
    if (this.me.role !== 'admin' && !this.me.sites.includes(site)) return error(403, 'forbidden');
    const info = this.sites.find((s) => s.id === site);
    if (!info) return error(404, 'site_not_found');
    if (rest === '') return { status: 200, json: { ...info, origins: [], legacyOffset: 0 } };
    if (rest === '/visits/daily') {
      const days = Number(url.searchParams.get('days') ?? 30);
      const v = this.visits[site]!;
      return { status: 200, json: { ...v, days: v.days.slice(-days) } };
    }
    if (rest.startsWith('/polls')) return this.routePolls(site, method, rest, body);
    return this.routeComments(site, method, rest, url, body);
  }

  /** The poll routes, with the server's main checks (the real ones run in the e2e tests). */
  private routePolls(site: string, method: string, rest: string, body: unknown): FakeAnswer {
    const list = (this.polls[site] ??= []);
    const settings = body as Partial<AdminPoll> & { id?: string };
    const bad = (message: string) => error(400, 'invalid_request', message);
    const check = (p: AdminPoll): FakeAnswer | undefined => {
      if (!p.question.trim()) return bad('Invalid field "question": it is empty');
      if (p.options.length < 2) return bad('Invalid field "options": at least 2');
      if (p.opensAt && p.closesAt && p.closesAt <= p.opensAt)
        return bad('Invalid field "closesAt": it must be after "opensAt"');
      return undefined;
    };
    const withVotes = (options: { id?: string; label: string }[] | undefined, old: AdminPoll) =>
      (options ?? old.options).map((o, i) => ({
        id: o.id ?? `o${i + 1}`,
        label: o.label,
        votes: old.options.find((x) => x.id === o.id)?.votes ?? 0,
      }));
    if (rest === '/polls' && method === 'GET') return { status: 200, json: { items: list } };
    if (rest === '/polls' && method === 'POST') {
      if (list.some((p) => p.id === settings.id)) return error(409, 'conflict', 'exists');
      const empty = poll(settings.id!, '', {}, { opensAt: null });
      const created: AdminPoll = {
        ...empty,
        ...settings,
        id: settings.id!,
        options: withVotes(settings.options, empty),
        voters: 0,
      };
      const problem = check(created);
      if (problem) return problem;
      list.unshift(created);
      return { status: 201, json: created };
    }
    const m = /^\/polls\/([^/]+)(\/[a-z]+)?$/.exec(rest);
    const p = m && list.find((x) => x.id === m[1]);
    if (!p) return error(404, 'not_found', 'Poll not found');
    switch (`${method} ${m[2] ?? ''}`) {
      case 'GET ':
        return { status: 200, json: p };
      case 'PATCH ': {
        if (p.voters > 0 && settings.options) return error(409, 'poll_has_votes', 'has votes');
        const next = { ...p, ...settings, options: withVotes(settings.options, p) };
        const problem = check(next);
        if (problem) return problem;
        Object.assign(p, next);
        return { status: 200, json: p };
      }
      case 'POST /open':
      case 'POST /close':
        p.status = m[2] === '/open' ? 'open' : 'closed';
        p.closesAt = m[2] === '/open' ? null : '2026-11-30T09:00:00.000Z';
        return { status: 200, json: p };
      case 'DELETE ':
        list.splice(list.indexOf(p), 1);
        return { status: 204 };
      default:
        return error(404, 'not_found');
    }
  }

  private routeComments(
    site: string,
    method: string,
    rest: string,
    url: URL,
    body: unknown,
  ): FakeAnswer {
    const list = (this.comments[site] ??= []);
    if (rest === '/comments' && method === 'GET') {
      const status = url.searchParams.get('status');
      const words = (url.searchParams.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const matching = list
        .filter((c) => !status || c.status === status)
        .filter((c) =>
          words.every((w) => `${c.name} ${c.title} ${c.content}`.toLowerCase().includes(w)),
        );
      const items = matching.slice(start, start + limit);
      const next = start + limit < matching.length ? String(start + limit) : null;
      return { status: 200, json: { items, total: matching.length, next } };
    }
    if (rest === '/comments/bulk' && method === 'POST') {
      const { action, ids } = body as { action: string; ids: string[] };
      const hit = list.filter((c) => ids.includes(c.id));
      for (const c of hit) c.status = action === 'approve' ? 'approved' : 'rejected';
      return { status: 200, json: { changed: hit.length } };
    }
    const m = /^\/comments\/([^/]+)(\/[a-z]+)?$/.exec(rest);
    const c = m && list.find((x) => x.id === m[1]);
    if (!c) return error(404, 'not_found', 'Comment not found');
    const action = `${method} ${m[2] ?? ''}`;
    switch (action) {
      case 'POST /approve':
      case 'POST /reject':
        c.status = action === 'POST /approve' ? 'approved' : 'rejected';
        return { status: 200, json: c };
      case 'DELETE ':
        list.splice(list.indexOf(c), 1);
        return { status: 204 };
      case 'PUT /reply':
        c.reply = {
          content: (body as { content: string }).content,
          createdAt: '2026-11-30T09:00:00.000Z',
        };
        return { status: 200, json: c };
      case 'DELETE /reply':
        delete c.reply;
        return { status: 200, json: c };
      case 'POST /ban':
        c.banned = true;
        return { status: 200, json: { banned: true, expiresAt: '2026-12-30T09:00:00.000Z' } };
      case 'DELETE /ban':
        c.banned = false;
        return { status: 200, json: { banned: false } };
      default:
        return error(404, 'not_found');
    }
  }
}
