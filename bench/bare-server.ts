/** The baseline: a bare Fastify 5 route that parses a small JSON body and returns a small JSON. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/bare', async () => ({ total: 414429, today: 1, month: 1, online: 1, counted: true }));
const port = Number(process.env.PORT);
await app.listen({ host: '127.0.0.1', port });
process.stdout.write('ready\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
