/**
 * HTTP/1.1 by hand over one TCP connection: what a test needs to control the packets (a body in
 * pieces, pipelined requests) or the client address (127.0.0.x: Linux routes all of 127/8 to lo).
 */
import { connect } from 'node:net';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes `parts` to a new connection (`pauseMs` between them) and resolves with all it got back
 * once the server closes it (the last request says `Connection: close`).
 */
export async function exchange(
  port: number,
  parts: (string | Buffer)[],
  { pauseMs = 30, localAddress }: { pauseMs?: number; localAddress?: string } = {},
): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  for (const [i, part] of parts.entries()) {
    if (i > 0) await sleep(pauseMs);
    socket.write(part);
  }
  await closed;
  return Buffer.concat(chunks).toString('utf8');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads its own shape
export type Answer = { status: number; body: any };

/** The answers in `raw` (with Content-Length): status and parsed JSON body, in order. */
export function answers(raw: string): Answer[] {
  const out: Answer[] = [];
  let rest = Buffer.from(raw);
  while (rest.length) {
    const head = rest.indexOf('\r\n\r\n');
    const headers = rest.subarray(0, head).toString();
    const status = Number(/^HTTP\/1\.1 (\d+)/.exec(headers)![1]);
    const length = Number(/content-length: (\d+)/i.exec(headers)![1]);
    const body = rest.subarray(head + 4, head + 4 + length).toString('utf8');
    out.push({ status, body: JSON.parse(body) });
    rest = rest.subarray(head + 4 + length);
  }
  return out;
}

/** The head of a JSON POST of `body` (`extra`: more header lines, each ending in CRLF). */
export const postHead = (path: string, body: Buffer | string, extra = '', close = true) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
  `Content-Length: ${Buffer.byteLength(body)}\r\n${close ? 'Connection: close\r\n' : ''}${extra}\r\n`;
