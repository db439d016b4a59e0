import { empty, type Routes } from '../core/api.js';
import { HttpError, notFound } from '../core/errors.js';
import { Items, NoContent } from '../core/schemas.js';
import {
  NewTokenBody,
  NewTokenView,
  NewUserBody,
  PasswordBody,
  TokenParams,
  TokenView,
  UserParams,
  UserPatchBody,
  UserView,
} from './schemas.js';
import type { GuardedOutcome, TokenRecord, UserRecord } from './store.js';
import { cleanLine } from '../core/text.js';

const iso = (ms: number) => new Date(ms).toISOString();

function userView(u: UserRecord): UserView {
  return { ...u, createdAt: iso(u.createdAt), updatedAt: iso(u.updatedAt) };
}

/** What the audit log keeps of an account (never the password or its hash). */
const auditOf = (u: UserRecord) => ({
  email: u.email,
  name: u.name,
  role: u.role,
  sites: u.sites,
  disabled: u.disabled,
});

function tokenView(t: TokenRecord): TokenView {
  return {
    ...t,
    createdAt: iso(t.createdAt),
    lastUsedAt: t.lastUsedAt === null ? null : iso(t.lastUsedAt),
  };
}

function guarded(outcome: GuardedOutcome, id: string): void {
  if (outcome === 'not_found') throw notFound(`User "${id}"`);
  if (outcome === 'last_admin')
    throw new HttpError(
      409,
      'last_admin',
      'The last active administrator cannot be removed, demoted or disabled',
    );
}

/**
 * Admin `/users` (administrators only): list, create (password ≥ 12 characters), change name,
 * role and sites, disable and enable (the user's sessions end; not oneself, not the last active
 * administrator), reset the password (the user's sessions end), delete (not oneself, not the
 * last active administrator).
 */
export const adminUserRoutes: Routes = async (app) => {
  const { auth } = app;
  const { store } = auth;
  const one = { params: UserParams, response: { 200: UserView } };
  const existing = async (id: string) => {
    const user = await store.user(id);
    if (!user) throw notFound(`User "${id}"`);
    return user;
  };

  app.get('/users', { schema: { response: { 200: Items(UserView) } } }, async () => ({
    items: (await store.users()).map(userView),
  }));

  app.post(
    '/users',
    { schema: { body: NewUserBody, response: { 201: UserView } } },
    async (req, reply) => {
      const user = await auth.createUser(req.body);
      req.audit({ target: user.id, after: auditOf(user) });
      return reply.status(201).send(userView(user));
    },
  );

  app.get('/users/:user', { schema: one }, async (req) =>
    userView(await existing(req.params.user)),
  );

  app.patch('/users/:user', { schema: { ...one, body: UserPatchBody } }, async (req) => {
    const { user: id } = req.params;
    if (req.body.disabled === true && req.admin.userId === id)
      throw new HttpError(409, 'cannot_disable_self', 'You cannot disable your own account');
    const before = await existing(id);
    const role = req.body.role ?? before.role;
    const sites =
      req.body.sites === undefined ? undefined : await auth.checkSites(role, req.body.sites);
    const patch = { ...req.body, ...(sites !== undefined && { sites }) };
    if (patch.name !== undefined) patch.name = cleanLine(patch.name);
    guarded(await store.updateUser(id, patch, auth.now()), id);
    const after = await existing(id);
    req.audit({ before: auditOf(before), after: auditOf(after) });
    return userView(after);
  });

  app.post(
    '/users/:user/password',
    { schema: { params: UserParams, body: PasswordBody, response: { 204: NoContent } } },
    async (req, reply) => {
      const { user: id } = req.params;
      // One's own reset keeps the session it came from; every other session of the user ends.
      const keep = req.admin.userId === id ? req.admin.sessionId : undefined;
      if (!(await auth.setPassword(id, req.body.password, keep))) throw notFound(`User "${id}"`);
      return empty(reply, 204);
    },
  );

  app.delete(
    '/users/:user',
    { schema: { params: UserParams, response: { 204: NoContent } } },
    async (req, reply) => {
      const { user: id } = req.params;
      if (req.admin.userId === id)
        throw new HttpError(409, 'cannot_delete_self', 'You cannot delete your own account');
      const before = await existing(id);
      guarded(await store.deleteUser(id), id);
      req.audit({ before: auditOf(before) });
      return empty(reply, 204);
    },
  );
};

/**
 * Admin `/tokens` (administrators only): API tokens for automation, each with a role and sites.
 * The token itself is in the answer of its creation only (stored as SHA-256); revoking deletes it.
 */
export const adminTokenRoutes: Routes = async (app) => {
  const { auth } = app;
  const { store } = auth;

  app.get('/tokens', { schema: { response: { 200: Items(TokenView) } } }, async () => ({
    items: (await store.tokens()).map(tokenView),
  }));

  app.post(
    '/tokens',
    { schema: { body: NewTokenBody, response: { 201: NewTokenView } } },
    async (req, reply) => {
      const { name } = req.body;
      const role = auth.checkRole(req.body.role);
      const sites = await auth.checkSites(role, req.body.sites);
      const created = await store.createToken(
        { name, role, sites, createdBy: req.admin.actor },
        auth.now(),
      );
      if (!created) throw new HttpError(409, 'conflict', `Token "${name}" already exists`);
      req.audit({ target: created.record.id, after: { name, role, sites } });
      return reply.status(201).send({ ...tokenView(created.record), token: created.secret });
    },
  );

  app.delete(
    '/tokens/:token',
    { schema: { params: TokenParams, response: { 204: NoContent } } },
    async (req, reply) => {
      const token = await store.token(req.params.token);
      if (!token || !(await store.deleteToken(token.id)))
        throw notFound(`Token "${req.params.token}"`);
      req.audit({ before: { name: token.name, role: token.role, sites: token.sites } });
      return empty(reply, 204);
    },
  );
};
