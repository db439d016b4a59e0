/** Starts the real server (`src/server/main.ts`) as a child process on a free port. */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { createServer } from 'node:net';

export interface RunningServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Serves `server` on 127.0.0.1 at `port` (a free one when not given); resolves with its origin
 * and a `close` that also ends the connections kept alive.
 */
export async function listenLocal(
  server: Server,
  port?: number,
): Promise<{ origin: string; close(): Promise<void> }> {
  const listenPort = port ?? (await freePort());
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${listenPort}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Starts the server with `env` (the demo on, as `npm start` has it, unless `env` sets DEMO); it
 * must answer `/health/ready` within `readyTimeoutMs` (default 20 s). From the sources (tsx)
 * unless `built`.
 */
export async function startServer(
  env: Record<string, string>,
  {
    readyTimeoutMs = 20_000,
    /** `built`: the compiled server (`dist/server/main.js`, what `civic-widgets serve` runs). */
    built = false,
  } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const entry = built ? ['dist/server/main.js'] : ['--import', 'tsx', 'src/server/main.ts'];
  const child = spawn(process.execPath, entry, {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DEMO: 'on',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${out}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become ready: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
