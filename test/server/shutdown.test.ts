import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { BROWSER_UA, sessionId } from '../helpers/app.js';
import { describeEngines, type TestEngine } from '../helpers/engines.js';
import { startServer } from '../helpers/server-process.js';

describeEngines('SIGTERM under load', (kind) => {
  let engine: TestEngine | undefined;
  after(async () => engine?.drop());

  it('stops accepting, flushes and exits 0 with every acknowledged visit stored', async () => {
    engine = await kind.create();
    const server = await startServer(engine.env);
    const url = `${server.url}/api/v1/sites/demo/visits`;
    let acknowledged = 0;
    let refused = 0;
    let signalled = false;
    const worker = async () => {
      for (;;) {
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
            body: JSON.stringify({ page: '/', session: sessionId() }),
          });
          if (res.ok && (await res.json()).counted) acknowledged++;
          else refused++;
        } catch {
          refused++;
          if (signalled) return; // the server is gone
        }
        if (!signalled && acknowledged >= 600) {
          signalled = true;
          server.process.kill('SIGTERM');
        }
        if (signalled && refused > 0 && server.process.exitCode !== null) return;
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    const code = await server.stop();
    assert.equal(code, 0, server.output());
    const storage = await engine.open();
    try {
      const site = await storage.getSite('demo');
      assert.ok(site, 'the demo site was seeded');
      const totals = await storage.visitTotals('demo', '0000-00-00', '0000-00');
      assert.ok(acknowledged >= 600);
      assert.equal(totals.stored, acknowledged, 'stored visits = acknowledged visits');
    } finally {
      await storage.close();
    }
  });
});
