/** Client address helpers: rate limits key on an IP prefix, never the raw address in logs. */
import { isIPv6 } from 'node:net';

/** The eight groups of an IPv6 address, lower case, without leading zeros. */
function groups(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const all = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return all.map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/** An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) as the IPv4 address; anything else as is. */
const unmapped = (ip: string) => (ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip);

/**
 * Whether `ip` is an IPv6 address. An IPv4 address (no colon) skips `isIPv6`'s long regular
 * expression, which the shared request limit ran on every request (1 % of a visit's CPU).
 */
const v6 = (ip: string) => ip.includes(':') && isIPv6(ip);

/**
 * The narrow prefix, one subscriber: IPv4 → the address (/32); IPv6 → its /64 (what one home or
 * one phone gets); IPv4-mapped IPv6 → the IPv4 address.
 */
export function ipPrefix(ip: string): string {
  const v = unmapped(ip);
  if (!v6(v)) return v;
  return `${groups(v).slice(0, 4).join(':')}::/64`;
}

/**
 * The wide prefix, one network: IPv4 → its /24 (`203.0.113.0/24`); IPv6 → its /48 (one
 * customer's or one site's allocation). Someone who controls many addresses usually controls them
 * within one of these.
 */
export function widePrefix(ip: string): string {
  const v = unmapped(ip);
  if (!v6(v)) {
    const parts = v.split('.');
    return parts.length === 4 ? `${parts.slice(0, 3).join('.')}.0/24` : v;
  }
  return `${groups(v).slice(0, 3).join(':')}::/48`;
}
