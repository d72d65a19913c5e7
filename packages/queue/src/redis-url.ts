import { Redis } from 'ioredis';

/** The queue every srnn submitter and worker of one Redis database shares. */
export const QUEUE_NAME = 'srnn-runs';

/** Redis cannot be reached (or refuses us): one clear line, exit 1. */
export class RedisUnreachableError extends Error {}

/** A URL as the user may pass it: redis:// or rediss://, with host, port, password and database. */
export function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--queue ${url}: expected a Redis URL such as redis://host:6379/0 (or rediss:// for TLS)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error(`--queue ${url}: expected a redis:// or rediss:// URL`);
}

/** The URL without its password, for messages. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** BullMQ's connection options for a URL (ioredis parses it: TLS for rediss://, user, password, /db). */
export function connectionOf(url: string): { url: string; maxRetriesPerRequest: null } {
  return { url, maxRetriesPerRequest: null };
}

/**
 * Connects once, without retrying, and pings: an unreachable Redis (or a wrong password) is then
 * one clear error at start rather than endless reconnection attempts.
 */
export async function assertRedisReachable(url: string, timeoutMs = 5000): Promise<void> {
  checkRedisUrl(url);
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, enableOfflineQueue: false });
  // the first error says why (ECONNREFUSED, ENOTFOUND, a TLS failure); connect() then only says the connection closed
  let first: Error | undefined;
  client.on('error', (error: Error) => (first ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new RedisUnreachableError(`cannot reach Redis at ${displayUrl(url)}: ${(first ?? (error as Error)).message || String(error)}`);
  } finally {
    client.disconnect();
  }
}
