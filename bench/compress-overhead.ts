/**
 * `npm run bench:compress`: what @fastify/compress costs an answer under its 1 KB threshold (a
 * visit's figures), and what it does for a comment-page-sized answer. Two processes in the same
 * run, each pinned to core 1 (load on core 0, wrk from Debian): a bare Fastify route, and the same
 * route with the plugin registered as the server registers it. 3 rounds, medians.
 */
import { spawn, spawnSync } from 'node:child_process';
import { freePort } from '../test/helpers/server-process.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DURATION = process.env.DURATION ?? '5s';

const SERVER = `
import Fastify from 'fastify';
import compress from '@fastify/compress';
const app = Fastify({ logger: false });
if (process.env.WITH_COMPRESS === '1') await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'], globalDecompression: false });
const small = { total: 414429, today: 1, month: 1, online: 1, counted: true };
const item = (i) => ({ id: 'c' + i, name: 'Nguyễn Thị Lan', title: 'Góp ý về sân chơi cho trẻ em', content: 'Xã tôi cũng cần sân chơi cho các cháu. '.repeat(12), createdAt: '2026-11-30T10:00:00.000Z' });
const page = { items: Array.from({ length: 10 }, (_, i) => item(i)), total: 50, next: 'abc' };
app.get('/small', async () => small);
app.get('/small-opt-out', { compress: false }, async () => small);
app.get('/page', async () => page);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.stdout.write('ready\\n');
`;

function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

async function start(withCompress: boolean): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(
    'taskset',
    ['-c', '1', process.execPath, '--input-type=module', '-e', SERVER],
    {
      env: { ...process.env, PORT: String(port), WITH_COMPRESS: withCompress ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

function wrk(url: string, acceptEncoding?: string): { rps: number; bytes: number } {
  const args = ['-c', '0', 'wrk', '-t1', '-c50', `-d${DURATION}`, '--latency'];
  if (acceptEncoding) args.push('-H', `Accept-Encoding: ${acceptEncoding}`);
  const out = spawnSync('taskset', [...args, url], { encoding: 'utf8' }).stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const transfer = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(out);
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[transfer?.[2] ?? 'B'] ?? 1;
  return { rps, bytes: rps ? (Number(transfer?.[1] ?? 0) * unit) / rps : 0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (!hasWrk()) {
  console.error('bench:compress needs wrk: apt-get install -y wrk');
  process.exit(1);
}
const bare = await start(false);
const withPlugin = await start(true);
const rows: Array<[string, string, string | undefined]> = [
  ['small answer (a visit), no Accept-Encoding', '/small', undefined],
  ['small answer (a visit), Accept-Encoding: br, gzip', '/small', 'br, gzip'],
  ['small answer, route with compress: false (the visit routes)', '/small-opt-out', 'br, gzip'],
  ['comment page (~6 KB), Accept-Encoding: br, gzip', '/page', 'br, gzip'],
];
console.log(
  `wrk -t1 -c50 -d${DURATION}, server on core 1, load on core 0, ${ROUNDS} rounds, medians\n`,
);
console.log(
  '| answer | bare req/s | with compress req/s | ratio | bytes/answer bare → compressed |',
);
console.log('|---|---|---|---|---|');
for (const [name, path, enc] of rows) {
  const a: number[] = [];
  const b: number[] = [];
  let bytesA = 0;
  let bytesB = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const ra = wrk(bare.url + path, enc);
    const rb = wrk(withPlugin.url + path, enc);
    a.push(ra.rps);
    b.push(rb.rps);
    bytesA = ra.bytes;
    bytesB = rb.bytes;
  }
  const ratio = median(b) / median(a);
  console.log(
    `| ${name} | ${median(a).toFixed(0)} | ${median(b).toFixed(0)} | ${ratio.toFixed(2)} | ${bytesA.toFixed(0)} → ${bytesB.toFixed(0)} |`,
  );
}
bare.stop();
withPlugin.stop();
