/**
 * The console's requests for accounts, API tokens (admin `/users`, `/tokens`) and the audit log
 * (`/audit`), over the same cookie-authenticated `call()` as the other screens.
 */
import { call, type Role } from './api.js';

/** `GET /admin/users`: an account (never its password or hash). */
export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** An editor's sites (`[]` for an admin: every site). */
  sites: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewUserInput {
  email: string;
  name?: string;
  role: Role;
  sites: string[];
  password: string;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  sites?: string[];
  disabled?: boolean;
}

/** `GET /admin/tokens`: an API token (never the token itself). */
export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  sites: string[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** `POST /admin/tokens`: the only answer that carries the token. */
export interface NewApiToken extends ApiToken {
  token: string;
}

/** `GET /admin/audit`: one change. */
export interface AuditEntry {
  id: string;
  at: string;
  /** The user's e-mail, `token:<name>`, `ADMIN_TOKEN` or `cli`. */
  actor: string;
  userId: string | null;
  /** `poll.update`, `user.create`… */
  action: string;
  site: string | null;
  target: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditPage {
  items: AuditEntry[];
  next: string | null;
}

export interface AuditFilter {
  site?: string;
  /** An action or a group of them (`poll`). */
  action?: string;
  actor?: string;
  cursor?: string;
  limit?: number;
}

const user = (id: string) => `/admin/users/${encodeURIComponent(id)}`;

export const usersApi = {
  users: (signal?: AbortSignal) =>
    call<{ items: AdminUser[] }>('/admin/users', { signal }).then((r) => r.items),
  createUser: (input: NewUserInput) =>
    call<AdminUser>('/admin/users', { method: 'POST', body: input }),
  updateUser: (id: string, patch: UserPatch) =>
    call<AdminUser>(user(id), { method: 'PATCH', body: patch }),
  setPassword: (id: string, password: string) =>
    call<void>(`${user(id)}/password`, { method: 'POST', body: { password } }),
  deleteUser: (id: string) => call<void>(user(id), { method: 'DELETE' }),

  tokens: (signal?: AbortSignal) =>
    call<{ items: ApiToken[] }>('/admin/tokens', { signal }).then((r) => r.items),
  createToken: (input: { name: string; role: Role; sites: string[] }) =>
    call<NewApiToken>('/admin/tokens', { method: 'POST', body: input }),
  revokeToken: (id: string) =>
    call<void>(`/admin/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),

  audit(filter: AuditFilter, signal?: AbortSignal) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    return call<AuditPage>(`/admin/audit${search ? `?${search}` : ''}`, { signal });
  },
};

const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A new random password: 20 characters from 56 that cannot be mistaken for each other (about 116
 * bits), drawn with the browser's CSPRNG without modulo bias.
 */
export function generatePassword(length = 20): string {
  const out: string[] = [];
  const limit = 256 - (256 % ALPHABET.length);
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out.push(ALPHABET[byte % ALPHABET.length]!);
    }
  }
  return out.join('');
}
