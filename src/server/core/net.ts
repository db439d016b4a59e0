/** Client address helpers: rate limits key on an IP prefix, never the raw address in logs. */
import { isIPv6 } from 'node:net';

/** IPv4 → the address (/32); IPv6 → its /64 prefix; IPv4-mapped IPv6 → the IPv4 address. */
export function ipPrefix(ip: string): string {
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  const prefix = groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
  return `${prefix.join(':')}::/64`;
}
