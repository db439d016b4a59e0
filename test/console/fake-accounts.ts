/**
 * The admin API's `/users`, `/tokens` and `/audit` for the fake server (fake-admin-api.ts): in
 * memory, with the contract's status codes and error codes (admins only for users and tokens,
 * `user_exists`, `invalid_password`, `cannot_delete_self`, `cannot_disable_self`, `last_admin`,
 * `conflict`; the audit log filtered by site, action or group, and actor, paged by cursor).
 */
import type { Me } from '../../src/console/api.js';
import type { AdminUser, ApiToken, AuditEntry } from '../../src/console/users-api.js';

interface Answer {
  status: number;
  json?: unknown;
}

const error = (status: number, code: string, message = code): Answer => ({
  status,
  json: { error: { code, message } },
});

export function user(email: string, over: Partial<AdminUser> = {}): AdminUser {
  return {
    id: `u${email
      .replace(/[^a-z0-9]/gi, '')
      .slice(0, 15)
      .padEnd(15, '0')}`,
    email,
    name: email.slice(0, email.indexOf('@')),
    role: 'editor',
    sites: [],
    disabled: false,
    createdAt: '2026-11-01T01:00:00.000Z',
    updatedAt: '2026-11-01T01:00:00.000Z',
    ...over,
  };
}

export function auditEntry(n: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: `entry${String(n).padStart(11, '0')}`,
    at: new Date(Date.UTC(2026, 10, 30, 9, 59 - n)).toISOString(),
    actor: 'admin@example.gov.vn',
    userId: 'uadminexamplegov',
    action: 'comment.approve',
    site: 'demo',
    target: `comment${n}`,
    ...over,
  };
}

export class FakeAccounts {
  users: AdminUser[] = [
    user('admin@example.gov.vn', { name: 'Nguyễn Văn An', role: 'admin' }),
    user('bientap@soyte.gov.vn', { name: 'Trần Thị Bình', sites: ['so-y-te'] }),
    user('nghi@example.gov.vn', { name: 'Lê Văn Nghỉ', sites: ['demo'], disabled: true }),
  ];
  tokens: ApiToken[] = [
    {
      id: 'tokenci000000001',
      name: 'ci-deploy',
      role: 'editor',
      sites: ['demo'],
      createdBy: 'admin@example.gov.vn',
      createdAt: '2026-11-02T03:00:00.000Z',
      lastUsedAt: null,
    },
  ];
  /** Newest first. */
  audit: AuditEntry[] = [
    auditEntry(1, {
      action: 'poll.update',
      target: 'danh-gia',
      before: { question: 'Bạn thấy cổng thông tin thế nào?', closesAt: null, multiple: false },
      after: {
        question: 'Bạn đánh giá như thế nào về cổng thông tin này?',
        closesAt: '2026-12-31T16:59:59.000Z',
        multiple: false,
      },
    }),
    auditEntry(2, {
      action: 'user.create',
      site: null,
      target: 'ubientapsoytegov',
      after: { email: 'bientap@soyte.gov.vn', role: 'editor', sites: ['so-y-te'] },
    }),
    auditEntry(3, { actor: 'bientap@soyte.gov.vn', site: 'so-y-te', action: 'comment.reject' }),
    auditEntry(4, { actor: 'token:ci-deploy', userId: null, action: 'slogan.update' }),
  ];
  private seq = 0;

  route(me: Me, method: string, p: string, url: URL, body: unknown): Answer | undefined {
    if (p === '/admin/audit' && method === 'GET') return this.list(me, url);
    if (!/^\/admin\/(users|tokens)(\/|$)/.test(p)) return undefined;
    if (me.role !== 'admin') return error(403, 'forbidden', 'Only an administrator may do this');
    if (p === '/admin/users' && method === 'GET')
      return { status: 200, json: { items: this.users } };
    if (p === '/admin/users' && method === 'POST') return this.create(body as NewUser);
    if (p === '/admin/tokens' && method === 'GET')
      return { status: 200, json: { items: this.tokens } };
    if (p === '/admin/tokens' && method === 'POST') {
      const { name, role, sites } = body as {
        name: string;
        role: ApiToken['role'];
        sites: string[];
      };
      if (this.tokens.some((t) => t.name === name)) return error(409, 'conflict', 'Token exists');
      const token: ApiToken = {
        id: `token${String(++this.seq).padStart(11, '0')}`,
        name,
        role,
        sites: role === 'admin' ? [] : sites,
        createdBy: me.email,
        createdAt: '2026-11-30T09:00:00.000Z',
        lastUsedAt: null,
      };
      this.tokens.push(token);
      return { status: 201, json: { ...token, token: `cwt_${'x'.repeat(43)}` } };
    }
    const t = /^\/admin\/tokens\/([^/]+)$/.exec(p);
    if (t && method === 'DELETE') {
      const i = this.tokens.findIndex((x) => x.id === t[1]);
      if (i < 0) return error(404, 'not_found');
      this.tokens.splice(i, 1);
      return { status: 204 };
    }
    const m = /^\/admin\/users\/([^/]+)(\/password)?$/.exec(p);
    const u = m && this.users.find((x) => x.id === m[1]);
    if (!u) return error(404, 'not_found', 'User not found');
    const self = u.email === me.email;
    const activeAdmins = this.users.filter((x) => x.role === 'admin' && !x.disabled);
    const lastAdmin = u.role === 'admin' && !u.disabled && activeAdmins.length <= 1;
    if (m[2] && method === 'POST') {
      const { password } = body as { password: string };
      if ([...password].length < 12) return error(400, 'invalid_password', 'Too short');
      return { status: 204 };
    }
    if (method === 'PATCH') {
      const patch = body as Partial<AdminUser>;
      if (patch.disabled && self) return error(409, 'cannot_disable_self', 'Not yourself');
      if (lastAdmin && (patch.disabled || (patch.role && patch.role !== 'admin')))
        return error(409, 'last_admin', 'The last active administrator');
      Object.assign(u, patch, { updatedAt: '2026-11-30T09:00:00.000Z' });
      if (u.role === 'admin') u.sites = [];
      return { status: 200, json: u };
    }
    if (method === 'DELETE') {
      if (self) return error(409, 'cannot_delete_self', 'Not yourself');
      if (lastAdmin) return error(409, 'last_admin', 'The last active administrator');
      this.users.splice(this.users.indexOf(u), 1);
      return { status: 204 };
    }
    return error(404, 'not_found');
  }

  private create({ email, name, role, sites, password }: NewUser): Answer {
    if ([...password].length < 12) return error(400, 'invalid_password', 'Too short');
    if (this.users.some((u) => u.email.toLowerCase() === email.toLowerCase()))
      return error(409, 'user_exists', 'A user with this e-mail already exists');
    const created = user(email, {
      id: `new${String(++this.seq).padStart(13, '0')}`,
      name: name ?? email.slice(0, email.indexOf('@')),
      role,
      sites: role === 'admin' ? [] : sites,
    });
    this.users.push(created);
    return { status: 201, json: created };
  }

  private list(me: Me, url: URL): Answer {
    const site = url.searchParams.get('site');
    const action = url.searchParams.get('action');
    const actor = url.searchParams.get('actor')?.toLowerCase();
    if (site && me.role !== 'admin' && !me.sites.includes(site)) return error(403, 'forbidden');
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const matching = this.audit
      .filter((e) => (site ? e.site === site : me.role === 'admin' || me.sites.includes(e.site!)))
      .filter((e) => !action || e.action === action || e.action.startsWith(`${action}.`))
      .filter((e) => !actor || e.actor.toLowerCase() === actor);
    const items = matching.slice(start, start + limit);
    const next = start + limit < matching.length ? String(start + limit) : null;
    return { status: 200, json: { items, next } };
  }
}

interface NewUser {
  email: string;
  name?: string;
  role: AdminUser['role'];
  sites: string[];
  password: string;
}
