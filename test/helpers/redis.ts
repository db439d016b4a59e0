/**
 * Redis for tests: `TEST_REDIS_URL` (fallback `REDIS_URL`). Each run uses keys under a prefix of
 * its own (`civic_test_<pid>_<random>:`) and deletes them afterwards, so runs in parallel never
 * see each other's keys. Without a URL the Redis suites are skipped, loudly.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.TEST_REDIS_URL || process.env.REDIS_URL;

/** Why the Redis suites are skipped, or false. */
export const REDIS_SKIP: string | false = REDIS_URL ? false : 'set TEST_REDIS_URL=redis://…';

let warned = false;
/** Says, once and loudly, that the Redis tests do not run. */
export function warnRedisSkipped(): void {
  if (warned || REDIS_URL) return;
  warned = true;
  const bar = '!'.repeat(78);
  console.warn(
    `\n${bar}\n!! Redis tests SKIPPED: set TEST_REDIS_URL=redis://127.0.0.1:6379\n${bar}\n`,
  );
}

/** A fresh key prefix of this test run. */
export const testPrefix = () => `civic_test_${process.pid}_${randomBytes(4).toString('hex')}:`;

/** A client of its own (tests inspect and break connections with it). */
export function redisClient(): Redis {
  return new Redis(REDIS_URL!, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** Keys under `prefix`, listed with SCAN. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Deletes every key under `prefix`. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = redisClient();
  try {
    const keys = await keysUnder(redis, prefix);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  } finally {
    redis.disconnect();
  }
}
