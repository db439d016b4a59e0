import type { FastifyRequest } from 'fastify';
import { refuseCrossSite, requireSameOrigin } from '../core/admin.js';
import { empty, type Routes } from '../core/api.js';
import { HttpError } from '../core/errors.js';
import { NoContent } from '../core/schemas.js';
import { clearSessionCookie, setSessionCookie } from './cookie.js';
import { LoginBody, MeView, PasswordChangeBody } from './schemas.js';
import { ABSOLUTE_MS } from './service.js';
import type { UserRecord } from './store.js';

/**
 * `/api/v1/auth/…`, the console's sign-in (JSON only, `no-store`, refused from another site):
 *   POST /login `{email, password}` → 200 `{email, name, role, sites}` + the session cookie
 *   POST /logout → 204, the session ends and the cookie is cleared
 *   GET  /me → 200 `{email, name, role, sites}` or 401
 *   POST /password `{currentPassword, newPassword}` → 204; the user's other sessions end
 */
export const authRoutes: Routes = async (app) => {
  const { auth } = app;
  const { config, storage } = app.civic;
  const limit = { rateLimit: { max: config.rateLimitPerMinute, timeWindow: 60_000 } };

  app.addHook('onRequest', async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    refuseCrossSite(req);
  });

  const me = async (user: UserRecord): Promise<MeView> => ({
    email: user.email,
    name: user.name,
    role: user.role,
    sites: user.role === 'admin' ? (await storage.listSites()).map((s) => s.id) : user.sites,
  });
  const signedIn = async (req: FastifyRequest) => {
    const session = await auth.session(req);
    if (!session) throw new HttpError(401, 'unauthorized', 'Not signed in, or the session ended');
    return session;
  };

  app.post(
    '/login',
    { config: limit, schema: { body: LoginBody, response: { 200: MeView } } },
    async (req, reply) => {
      const { email, password } = req.body;
      const { user, value } = await auth.login(email, password, req.ip, reply);
      // A session the browser already had ends: a new sign-in never reuses an id.
      const previous = await auth.session(req);
      if (previous) await auth.store.deleteSession(previous.id);
      setSessionCookie(req, reply, value, ABSOLUTE_MS);
      return me(user);
    },
  );

  app.post(
    '/logout',
    { config: limit, schema: { response: { 204: NoContent } } },
    async (req, reply) => {
      const session = await auth.session(req);
      if (session) await auth.store.deleteSession(session.id);
      clearSessionCookie(req, reply);
      return empty(reply, 204);
    },
  );

  app.get('/me', { config: limit, schema: { response: { 200: MeView } } }, async (req) =>
    me((await signedIn(req)).user),
  );

  app.post(
    '/password',
    { config: limit, schema: { body: PasswordChangeBody, response: { 204: NoContent } } },
    async (req, reply) => {
      const session = await signedIn(req);
      requireSameOrigin(req);
      const { currentPassword, newPassword } = req.body;
      await auth.changeOwnPassword(session, currentPassword, newPassword, req.ip, reply);
      await app.civic.admin.record?.({
        actor: session.user.email,
        userId: session.user.id,
        action: 'user.password',
        site: null,
        target: session.user.id,
      });
      return empty(reply, 204);
    },
  );
};
