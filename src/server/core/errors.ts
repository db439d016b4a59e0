/**
 * The one error shape of the API: `{ error: { code, message } }`, never a stack, never HTML; and
 * the one format of a schema failure: `Invalid field "<field>"[ in the path|in the query string]:
 * <reason>`, code `invalid_request` unless the route names a code for that field
 * (`config: { fieldCodes: { name: 'invalid_name' } }`). The message never repeats the value.
 */
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifySchemaValidationError,
} from 'fastify';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Error codes of schema failures by top-level field (default `invalid_request`). */
    fieldCodes?: Record<string, string>;
  }
}

const FASTIFY_CODES: Record<string, [number, string, string?]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'unsupported_media_type',
    'Send the body as application/json',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'invalid_request',
    'Content-Length does not match the body',
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'The JSON body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The body is not valid JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is too large'],
};

const patternReasons = new Map<string, string>();

/**
 * Says what a pattern asks for, so that a value failing it reads `Invalid field "email": is not
 * an e-mail address` rather than the pattern itself. Returns the pattern, for use in a schema.
 */
export function describePattern(pattern: string, reason: string): string {
  patternReasons.set(pattern, reason);
  return pattern;
}

const WHERE: Record<string, string> = {
  params: ' in the path',
  querystring: ' in the query string',
  headers: ' in the headers',
};
const article = (type: string) =>
  type === 'null' ? 'null' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;

/** Why the value failed, in words; ajv's own message for the rarer keywords. */
function reason(failure: FastifySchemaValidationError): string {
  const params = failure.params as Record<string, unknown>;
  switch (failure.keyword) {
    case 'required':
      return 'is required';
    case 'minLength':
      return params.limit === 1
        ? 'is required'
        : `is shorter than ${String(params.limit)} characters`;
    case 'maxLength':
      return `is longer than ${String(params.limit)} characters`;
    case 'type':
      return `must be ${article(String(params.type))}`;
    case 'pattern':
      return patternReasons.get(String(params.pattern)) ?? failure.message ?? 'is not valid';
    default:
      return failure.message ?? 'is not valid';
  }
}

/** A schema failure (the first one: ajv stops there) as the one 400 of the API. */
export function validationError(
  failures: FastifySchemaValidationError[],
  context: string,
  fieldCodes?: Record<string, string>,
): HttpError {
  const first = failures[0];
  const where = WHERE[context] ?? '';
  if (!first) return new HttpError(400, 'invalid_request', `Invalid request${where}`);
  const params = first.params as { missingProperty?: string; additionalProperty?: string };
  const path = first.instancePath.split('/').slice(1);
  const extra =
    first.keyword === 'additionalProperties' ? params.additionalProperty : params.missingProperty;
  if (extra !== undefined) path.push(extra);
  const field = path.join('.');
  const code = (path[0] !== undefined && fieldCodes?.[path[0]]) || 'invalid_request';
  if (!field) {
    const whole =
      context === 'body' && first.keyword === 'type'
        ? 'The body must be a JSON object'
        : `Invalid request${where}: ${reason(first)}`;
    return new HttpError(400, code, whole);
  }
  if (first.keyword === 'additionalProperties')
    return new HttpError(400, code, `Unknown field "${field}"${where}`);
  return new HttpError(400, code, `Invalid field "${field}"${where}: ${reason(first)}`);
}

/**
 * Fastify's `frameworkErrors`: what its router refuses before any route runs (a path that does not
 * decode, a segment over `maxParamLength`) answered in the error shape, without echoing the path.
 */
export function frameworkErrors(err: FastifyError, _req: unknown, reply: FastifyReply): void {
  const [status, code, message] =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'uri_too_long', 'A part of the address is too long']
      : err.code === 'FST_ERR_BAD_URL'
        ? [400, 'invalid_url', 'The address is not validly percent-encoded UTF-8']
        : [400, 'invalid_request', 'The request cannot be routed'];
  void reply.status(status).send({ error: { code, message } });
}

/** SQLite's result codes for a disk that cannot take the write (`SQLITE_IOERR_WRITE`, …). */
const SQLITE_STORAGE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|NOMEM|PROTOCOL)/;
/**
 * Socket errors of the PostgreSQL driver, and PostgreSQL's own "cannot serve now" classes:
 * 08 (connection exception), 53 (insufficient resources), 57P01–57P03 (shutting down,
 * cannot connect now).
 */
const PG_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);
const PG_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated unexpectedly|Client was closed and is not queryable|Cannot use a pool after calling end)/;

/**
 * Whether `err` says the database cannot serve now (PostgreSQL unreachable or restarting, SQLite's
 * disk full or failing) rather than a fault of the request or the code: `full` for a full disk.
 */
export function databaseUnavailable(err: unknown): false | 'full' | 'down' {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === 'SQLITE_FULL') return 'full';
    if (SQLITE_STORAGE.test(code)) return 'down';
    if (PG_UNAVAILABLE.has(code) || /^(08|53)/.test(code)) return 'down';
  }
  if (PG_MESSAGES.test(err.message)) return 'down';
  // A pool's connect timeout or a socket error wrapped by the driver.
  return err.cause !== undefined && err.cause !== err ? databaseUnavailable(err.cause) : false;
}

/** How long a client should wait before retrying a request refused for the database (seconds). */
export const UNAVAILABLE_RETRY_S = 5;

/**
 * What an error thrown in a route means for the client, as an {@link HttpError}: the route's own,
 * a schema failure, a body Fastify refused, a rate limit, another 4xx; undefined for the rest
 * (a fault of the server). Shared by the JSON handler below and the HTML pages (nojs).
 */
export function knownError(
  err: FastifyError,
  fieldCodes?: Record<string, string>,
): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err.validation)
    return validationError(err.validation, err.validationContext ?? 'body', fieldCodes);
  const fastify = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (fastify) return new HttpError(fastify[0], fastify[1], fastify[2] ?? err.message);
  if (err.statusCode === 429)
    return new HttpError(429, 'rate_limited', 'Too many requests; try again later');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return new HttpError(err.statusCode, 'bad_request', err.message);
  return undefined;
}

/**
 * A cross-origin page reads `Retry-After` only if CORS exposes it; the error answers that carry it
 * (429, 503) are the only ones that need saying so (every header on every answer costs: see
 * `requestLimit` in core/rates.ts). Only where core/cors.ts allowed the page's origin.
 */
function exposeRetryAfter(reply: FastifyReply): void {
  if (reply.hasHeader('retry-after') && reply.hasHeader('access-control-allow-origin'))
    reply.header('Access-Control-Expose-Headers', 'Retry-After');
}

/**
 * Installs the JSON error and not-found handlers on `app`. `unavailable` recognizes errors of a
 * service the server depends on (Redis): those are a 503 `unavailable`, not a 500.
 */
export function installErrorHandlers(
  app: FastifyInstance,
  unavailable: (err: unknown) => boolean = () => false,
): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    exposeRetryAfter(reply);
    const known = knownError(err, request.routeOptions.config.fieldCodes);
    if (known)
      return reply
        .status(known.statusCode)
        .send({ error: { code: known.code, message: known.message } });
    if (unavailable(err)) {
      request.log.warn({ err: { message: err.message } }, 'shared state unavailable');
      return reply.status(503).send({
        error: {
          code: 'unavailable',
          message: 'The server cannot reach its shared state; try again shortly',
        },
      });
    }
    const database = databaseUnavailable(err);
    if (database) {
      request.log.warn({ err }, 'database unavailable');
      reply.header('Retry-After', String(UNAVAILABLE_RETRY_S));
      exposeRetryAfter(reply);
      return reply.status(503).send({
        error:
          database === 'full'
            ? {
                code: 'storage_full',
                message: 'The server cannot store anything now (its disk is full); try again later',
              }
            : {
                code: 'database_unavailable',
                message: 'The database does not answer now; try again in a few seconds',
              },
      });
    }
    request.log.error({ err }, 'request failed');
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: 'Internal server error' } });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: {
        code: 'not_found',
        message: `No route for ${request.method} ${request.url.split('?')[0]}`,
      },
    });
  });
}
