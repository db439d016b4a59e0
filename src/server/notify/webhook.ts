/**
 * Webhook calls: the URL rules (http(s) only; loopback, private, link-local and other special
 * addresses refused unless NOTIFY_ALLOW_PRIVATE_WEBHOOKS), and one signed POST with a 5 s
 * timeout. The address check runs again on every connection (on the DNS answer itself), so a
 * name that later resolves to 127.0.0.1 cannot turn the server against its own network.
 */
import { createHmac } from 'node:crypto';
import { lookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export const WEBHOOK_TIMEOUT_MS = 5_000;

const SPECIAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  SPECIAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  SPECIAL.addSubnet(net, bits, 'ipv6');

/** True for an address a webhook may not reach by default (loopback, private, link-local…). */
export function isSpecialAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return SPECIAL.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return SPECIAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The literal IP of a URL's host (`[::1]` → `::1`), or undefined for a name. */
function literalIp(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) ? bare : undefined;
}

/**
 * Why `raw` cannot be a webhook URL (a sentence for the error message), or undefined when it
 * can. Names are checked for what they obviously are (`localhost`); their addresses at send time.
 */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'only http and https are allowed';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (allowPrivate) return undefined;
  const host = url.hostname.toLowerCase();
  const ip = literalIp(host);
  if (ip ? isSpecialAddress(ip) : host === 'localhost' || host.endsWith('.localhost'))
    return 'loopback and private addresses are not allowed';
  return undefined;
}

/** A DNS lookup that refuses answers with special addresses. */
function guardedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      if (addresses.length === 0 || addresses.some((a) => isSpecialAddress(a.address))) {
        const refused = Object.assign(new Error('address not allowed'), { code: 'EADDRBLOCKED' });
        return callback(refused, '', 0);
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** `sha256=<hex>`: HMAC-SHA256 of the raw body under the site's webhook secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookResult {
  /** The HTTP status, or 0 when none came back. */
  status: number;
  /** An error code (`ECONNREFUSED`, `ETIMEDOUT`, `EADDRBLOCKED`…) when no status came back. */
  code?: string;
}

/**
 * POSTs `body` (JSON text) to `url`, signed; redirects are not followed. Resolves with the status
 * (or the error's code); never rejects.
 */
export function postWebhook(
  url: string,
  secret: string,
  body: string,
  { allowPrivate, now, signal }: { allowPrivate: boolean; now: number; signal?: AbortSignal },
): Promise<WebhookResult> {
  const problem = webhookUrlProblem(url, allowPrivate);
  if (problem) return Promise.resolve({ status: 0, code: 'EADDRBLOCKED' });
  const target = new URL(url);
  const options: RequestOptions = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'user-agent': 'civic-widgets-webhook/1',
      'x-civic-timestamp': String(Math.floor(now / 1000)),
      'x-civic-signature': signature(secret, body),
    },
    timeout: WEBHOOK_TIMEOUT_MS,
    signal: AbortSignal.any([AbortSignal.timeout(WEBHOOK_TIMEOUT_MS), ...(signal ? [signal] : [])]),
    ...(!allowPrivate && { lookup: guardedLookup() }),
  };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(target, options, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ status: 0, code: err.code ?? err.name }),
    );
    req.end(body);
  });
}
