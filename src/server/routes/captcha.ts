/**
 * Captcha routes:
 * - public `POST /api/v1/sites/{site}/captcha` `{action}` → a new challenge (rate-limited per IP prefix);
 * - server-to-server `POST /api/v1/captcha/verify` `{site, secret, token, action?}` → `{success}`;
 * - admin `GET|PUT /sites/{site}/captcha` (mode) and `GET|POST /sites/{site}/secret` (read, rotate).
 */
import rateLimit from '@fastify/rate-limit';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { tokenMatches } from '../admin.js';
import { HttpError, notFound } from '../errors.js';
import { ipPrefix } from '../net.js';
import { ErrorBody, SiteParams } from '../schemas.js';
import { CAPTCHA_MODES, type CaptchaMode } from '../storage/captcha.js';

/** Challenges per minute per IP prefix. An office behind one NAT address shares it. */
export const ISSUE_PER_MINUTE = 30;
/** Verify calls per minute per IP prefix (a host backend verifies each protected form post). */
export const VERIFY_PER_MINUTE = 600;

const Action = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$' });
const Mode = Type.Union(CAPTCHA_MODES.map((m) => Type.Literal(m)));
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const CaptchaBody = Type.Object({ action: Type.Optional(Action) }, { additionalProperties: false });
export const CaptchaView = Type.Object({
  mode: Type.String(),
  id: Nullable(Type.String()),
  image: Nullable(Type.String()),
  length: Type.Union([Type.Integer(), Type.Null()]),
  pow: Type.Union([
    Type.Object({
      algorithm: Type.String(),
      challenge: Type.String(),
      maxnumber: Type.Integer(),
      salt: Type.String(),
      signature: Type.String(),
    }),
    Type.Null(),
  ]),
  expiresAt: Type.String(),
});
export const VerifyBody = Type.Object(
  {
    site: SiteParams.properties.site,
    secret: Type.String({ minLength: 1, maxLength: 200 }),
    token: Type.String({ maxLength: 1024 }),
    action: Type.Optional(Action),
  },
  { additionalProperties: false },
);
export const VerifyView = Type.Object({
  success: Type.Boolean(),
  action: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
const ModeBody = Type.Object({ mode: Mode }, { additionalProperties: false });
const ModeView = Type.Object({ mode: Type.String() });
const SecretView = Type.Object({ secret: Type.String() });

type Params = Static<typeof SiteParams>;

/** `POST /captcha` inside the per-site public scope. */
export async function captchaRoutes(app: FastifyInstance): Promise<void> {
  const { sites, captcha } = app.civic;
  const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody, 415: ErrorBody, 429: ErrorBody };
  app.post<{ Params: Params; Body: Static<typeof CaptchaBody> }>(
    '/captcha',
    {
      schema: { params: SiteParams, body: CaptchaBody, response: { 200: CaptchaView, ...errors } },
      config: { rateLimit: { max: ISSUE_PER_MINUTE, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const site = await sites.get(req.params.site);
      reply.header('Cache-Control', 'no-store');
      return captcha.issue(site, req.body?.action ?? 'comment');
    },
  );
}

/** `POST /verify` at `/api/v1/captcha`: a host site's backend checks (and uses up) a token. */
export async function captchaVerifyRoutes(app: FastifyInstance): Promise<void> {
  const { sites, captcha } = app.civic;
  app.removeContentTypeParser('text/plain');
  await app.register(rateLimit, {
    max: VERIFY_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (req) => ipPrefix(req.ip),
    errorResponseBuilder: (_req, ctx) => new HttpError(429, 'rate_limited', `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`),
  });
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('Cache-Control', 'no-store');
  });
  app.post<{ Body: Static<typeof VerifyBody> }>(
    '/verify',
    { schema: { body: VerifyBody, response: { 200: VerifyView, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody, 415: ErrorBody, 429: ErrorBody } } },
    async (req) => {
      const { site: id, secret, token, action } = req.body;
      // An unknown site and a wrong secret look the same, and nothing is consumed for either.
      const expected = await captcha.store.getSecret(id);
      if (!expected || !tokenMatches(secret, expected)) throw new HttpError(401, 'invalid_secret', 'Unknown site or wrong secret');
      const result = await captcha.check(await sites.get(id), action, token);
      return result.ok ? { success: true, action: result.action } : { success: false, code: result.code, message: result.message };
    },
  );
}

/** Admin: a site's captcha mode and its verify secret. */
export async function adminCaptchaRoutes(app: FastifyInstance): Promise<void> {
  const { captcha } = app.civic;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  const known = <T>(site: string, value: T | undefined): T => {
    if (value === undefined || value === false) throw notFound(`Site "${site}"`);
    return value;
  };

  app.get<{ Params: Params }>('/sites/:site/captcha', { schema: { params: SiteParams, response: { 200: ModeView, ...errors } } }, async (req) => ({
    mode: known(req.params.site, await captcha.store.getMode(req.params.site)),
  }));
  app.put<{ Params: Params; Body: Static<typeof ModeBody> }>(
    '/sites/:site/captcha',
    { schema: { params: SiteParams, body: ModeBody, response: { 200: ModeView, ...errors } } },
    async (req) => {
      known(req.params.site, await captcha.store.setMode(req.params.site, req.body.mode as CaptchaMode));
      return { mode: req.body.mode };
    },
  );
  app.get<{ Params: Params }>('/sites/:site/secret', { schema: { params: SiteParams, response: { 200: SecretView, ...errors } } }, async (req) => ({
    secret: known(req.params.site, await captcha.store.getSecret(req.params.site)),
  }));
  app.post<{ Params: Params }>('/sites/:site/secret', { schema: { params: SiteParams, response: { 200: SecretView, ...errors } } }, async (req) => ({
    secret: known(req.params.site, await captcha.store.rotateSecret(req.params.site)),
  }));
}
