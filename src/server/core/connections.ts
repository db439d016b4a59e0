/**
 * Socket limits of the listening server: how long a request, an idle socket and a keep-alive
 * socket may take (Node's own timeouts, set from the configuration), and a cap on the sockets one
 * client IP prefix may hold open. A client that opens sockets and stalls them gets 408 or a closed
 * socket; the others keep being answered.
 */
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerConfig } from '../config.js';
import { ipPrefix } from './net.js';

/** How often Node checks for requests past their time (its default is 30 s). */
export const TIMEOUT_CHECK_MS = 1000;

type TimeoutConfig = Pick<
  ServerConfig,
  | 'requestTimeoutMs'
  | 'headersTimeoutMs'
  | 'connectionTimeoutMs'
  | 'keepAliveTimeoutMs'
  | 'maxRequestsPerSocket'
>;

/** Fastify's options for the timeouts of `config`. */
export function timeoutOptions(config: TimeoutConfig) {
  return {
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    maxRequestsPerSocket: config.maxRequestsPerSocket,
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    } satisfies ServerOptions,
  };
}

/**
 * Closes a new socket at once when its client's IP prefix already holds `max` open ones
 * (0: no cap). Counts the peer address: behind a proxy that is the proxy, so the cap is off by
 * default when TRUST_PROXY is set.
 */
export function capConnectionsPerIp(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (!address) return;
    const key = ipPrefix(address);
    const count = open.get(key) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
}
