/**
 * The package as a user gets it: `npm pack` (which builds, through `prepack`), then
 * `npm install <tarball> --omit=dev` in an empty folder, then `npx civic-widgets serve` there.
 * It must serve `/civic.js` and `/health/ready` from that folder with SQLite under its `./data/`
 * — by default without the demo portal, the gallery or their sites (DEMO=off), with DEMO=on with
 * them — run on plain `node` (no TypeScript loader, no build tools installed) and stop with exit code 0
 * on SIGTERM. The install compiles better-sqlite3 (about 2 minutes on a 2-core machine).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../helpers/server-process.js';

const ROOT = resolve(import.meta.dirname, '../..');
const npmMissing = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status !== 0;
if (npmMissing) {
  console.error(
    '\n!!! SKIPPED test/package/pack.test.ts: `npm` was not found on PATH, so the package cannot be packed and installed. !!!\n',
  );
}

/**
 * The environment for npm: native modules compile against the headers of the Node that runs this
 * test (a global npmrc may point `nodedir` at another Node's headers: a wrong ABI then).
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JOBS: 'max',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  const prefix = resolve(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node.h'))) env.npm_config_nodedir = prefix;
  // The installed server must find everything itself, with the defaults.
  for (const name of [
    'CIVIC_DIST_DIR',
    'CIVIC_DEMO_DIR',
    'DEMO',
    'CIVIC_DB_FILE',
    'DATABASE_URL',
    'ADMIN_TOKEN',
    'NODE_OPTIONS',
    'NODE_TEST_CONTEXT',
  ])
    delete env[name];
  return env;
}

interface InstalledServer {
  base: string;
  /** SIGTERM to the server itself; asserts exit code 0 and the shutdown line. */
  stop(): Promise<void>;
  /** Kills npx and the server if they still run (a failed test). */
  kill(): void;
}

/** `npx civic-widgets serve` in `cwd` with `env` added, on a free port, once it is ready. */
async function serveInstalled(cwd: string, env: NodeJS.ProcessEnv): Promise<InstalledServer> {
  const port = await freePort();
  const server = spawn('npx', ['--no', '--', 'civic-widgets', 'serve'], {
    cwd,
    env: { ...npmEnv(), HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a failed test can stop npx and the server together
  });
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((done) => server.once('exit', (code) => done(code)));
  const kill = () => {
    if (server.exitCode === null) process.kill(-server.pid!, 'SIGKILL');
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      assert.equal(server.exitCode, null, `server exited early:\n${log}`);
      const ready = await fetch(`${base}/health/ready`).catch(() => undefined);
      if (ready?.status === 200) break;
      assert.ok(Date.now() < deadline, `server did not become ready:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    kill();
    throw err;
  }
  return {
    base,
    kill,
    async stop() {
      // npx runs the server as its grandchild (npx → sh → node) and does not pass SIGTERM on, so
      // the signal goes to the server itself (its pid is in its log lines), as a supervisor's would.
      const serverPid = Number(/"pid":(\d+)[^\n]*civic-widgets ready/.exec(log)?.[1]);
      assert.ok(serverPid > 0, `the ready line names the server's pid:\n${log}`);
      process.kill(serverPid, 'SIGTERM');
      assert.equal(await exited, 0, `exit code after SIGTERM:\n${log}`);
      assert.match(log, /stopping: flushing visits and closing the database/);
    },
  };
}

interface Result {
  code: number | null;
  output: string;
}

/** Runs a command to its end; never throws (the caller asserts on the code and shows the output). */
function run(cmd: string, args: string[], cwd: string): Promise<Result> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => done({ code: null, output: output + String(err) }));
    child.on('close', (code) => done({ code, output }));
  });
}

function timed<T>(what: string, work: Promise<T>): Promise<T> {
  const start = Date.now();
  return work.finally(() =>
    console.log(`# ${what}: ${((Date.now() - start) / 1000).toFixed(0)} s`),
  );
}

describe('the npm package', { skip: npmMissing && 'npm not found', timeout: 9 * 60_000 }, () => {
  let work = '';
  let app = '';
  let tarball = '';
  let files: string[] = [];

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'civic-pack-'));
    app = join(work, 'app');
    const packDir = join(work, 'pack');
    mkdirSync(packDir);
    const packed = await timed(
      'npm pack (builds through prepack)',
      run('npm', ['pack', '--pack-destination', packDir], ROOT),
    );
    assert.equal(packed.code, 0, `npm pack failed:\n${packed.output}`);
    tarball = join(
      packDir,
      readdirSync(packDir).find((f) => f.endsWith('.tgz'))!,
    );
    const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    assert.equal(listing.status, 0, listing.stderr);
    files = listing.stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
  });

  after(() => work && rmSync(work, { recursive: true, force: true }));

  it('holds the built widgets, the compiled server, the CLI, the demo, the gallery and the typings; no sources or tests', () => {
    for (const file of [
      'package.json',
      'README.md',
      'bin/civic-widgets.js',
      'dist/server/cli.js',
      'dist/server/main.js',
      'dist/server/app.js',
      'dist/widgets/civic.js',
      'dist/widgets/civic.iife.js',
      'dist/widgets/integrity.json',
      'demo/index.html',
      'demo/gallery/index.html',
      'demo/gallery/gallery.js',
      'custom-elements.json',
      'dist/types/elements.d.ts',
      'dist/types/react.d.ts',
      'dist/types/vue.d.ts',
      'dist/types/svelte.d.ts',
    ]) {
      assert.ok(files.includes(file), `${file} is in the tarball`);
    }
    assert.deepEqual(
      files.filter((f) => /^(src|test|scripts|bench|node_modules)\//.test(f)),
      [],
      'no sources, tests or scripts',
    );
    assert.deepEqual(
      files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
      [],
      'no TypeScript to load at run time',
    );
    const widgets = files.filter((f) => f.startsWith('dist/widgets/'));
    assert.deepEqual(
      widgets.filter(
        (f) => !/\.(js|js\.br|js\.gz)$/.test(f) && f !== 'dist/widgets/integrity.json',
      ),
      [],
      'dist/widgets/ holds only the scripts, their compressed copies and their integrity values',
    );
  });

  it('installs with --omit=dev in an empty folder and serves from there, then stops on SIGTERM', async () => {
    mkdirSync(app);
    const installed = await timed(
      'npm install <tarball> --omit=dev (compiles better-sqlite3)',
      run(
        'npm',
        ['install', tarball, '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'],
        app,
      ),
    );
    assert.equal(installed.code, 0, `npm install failed:\n${installed.output}`);
    assert.doesNotMatch(installed.output, /EBADENGINE/, 'every dependency supports this Node');

    const modules = join(app, 'node_modules');
    assert.ok(existsSync(join(modules, 'civic-widgets', 'dist', 'server', 'main.js')));
    for (const devOnly of ['vite', 'tsx', 'typescript', 'lit', 'minify-html-literals', 'eslint']) {
      assert.ok(!existsSync(join(modules, devOnly)), `${devOnly} is not installed in production`);
    }
    const served = readFileSync(
      join(modules, 'civic-widgets', 'dist', 'widgets', 'civic.js'),
      'utf8',
    );
    for (const file of readdirSync(join(modules, 'civic-widgets', 'dist', 'widgets'), {
      recursive: true,
      encoding: 'utf8',
    })) {
      if (!file.endsWith('.js')) continue;
      const text = readFileSync(join(modules, 'civic-widgets', 'dist', 'widgets', file), 'utf8');
      assert.doesNotMatch(
        text,
        /fastify|kysely|better-sqlite3|["']node:/,
        `dist/widgets/${file} holds no server code`,
      );
    }

    // The exports map: buildApp for programmatic use, the loader by its public name.
    const exportsCheck = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      const server = await import('civic-widgets');
      console.log(typeof server.buildApp);
      console.log(import.meta.resolve('civic-widgets/civic.js'));
      console.log(import.meta.resolve('civic-widgets/package.json'));`,
      ],
      app,
    );
    assert.equal(exportsCheck.code, 0, exportsCheck.output);
    const [buildAppType, loaderUrl, pkgUrl] = exportsCheck.output.trim().split('\n');
    assert.equal(buildAppType, 'function');
    assert.match(loaderUrl!, /node_modules\/civic-widgets\/dist\/widgets\/civic\.js$/);
    assert.match(pkgUrl!, /node_modules\/civic-widgets\/package\.json$/);

    const help = await run('npx', ['--no', '--', 'civic-widgets', '--help'], app);
    assert.equal(help.code, 0, help.output);
    assert.match(help.output, /serve/);
    assert.match(help.output, /migrate/);
    const unknown = await run('npx', ['--no', '--', 'civic-widgets', 'frobnicate'], app);
    assert.equal(unknown.code, 1);
    assert.match(unknown.output, /unknown command "frobnicate"/);

    // Its default is a production server: no demo portal, no gallery, no demo or gallery site.
    const plain = await serveInstalled(app, {});
    try {
      assert.equal((await fetch(`${plain.base}/civic.js`)).status, 200);
      const home = await fetch(`${plain.base}/`);
      assert.equal(home.status, 200, 'a page saying what the server is');
      assert.match(await home.text(), /DEMO=off/);
      for (const path of ['/index.html', '/demo.css', '/gallery/', '/gallery/gallery.js'])
        assert.equal((await fetch(`${plain.base}${path}`)).status, 404, `${path} with DEMO=off`);
      await plain.stop();
    } finally {
      plain.kill();
    }
    const sites = await run('npx', ['--no', '--', 'civic-widgets', 'site', 'list'], app);
    assert.equal(sites.code, 0, sites.output);
    assert.doesNotMatch(sites.output, /^(demo|gallery|gallery-pow)\t/m, 'no demo site created');

    // DEMO=on: the demo portal and the gallery, as `npm start` has them.
    const server = await serveInstalled(app, { DEMO: 'on' });
    try {
      const { base } = server;
      const loader = await fetch(`${base}/civic.js`);
      assert.equal(loader.status, 200);
      assert.match(loader.headers.get('content-type') ?? '', /^(application|text)\/javascript/);
      assert.equal(await loader.text(), served, 'the package’s own dist/widgets/civic.js');
      const demo = await fetch(`${base}/`);
      assert.equal(demo.status, 200, 'the demo portal');
      assert.match(await demo.text(), /civic\.js/);
      const gallery = await fetch(`${base}/gallery/`);
      assert.equal(gallery.status, 200, 'the gallery');
      assert.match(await gallery.text(), /gallery\.js/);
      const slow = await fetch(`${base}/gallery/slow/api/v1/sites/demo/visits`);
      assert.equal(slow.status, 404, "the gallery's routes, for its own sites only");
      assert.ok(
        existsSync(join(app, 'data', 'civic.db')),
        'SQLite file created under ./data/ of the current folder',
      );
      await server.stop();
    } finally {
      server.kill();
    }
    const seeded = await run('npx', ['--no', '--', 'civic-widgets', 'site', 'list'], app);
    assert.match(seeded.output, /^gallery-pow\t/m, 'the demo and gallery sites, with DEMO=on');
  });
});
