/**
 * The baselines: bare Fastify 5 routes returning a visit's figures, `POST /bare` (parses a small
 * JSON body; bench:visits, bench:votes) and `GET /bare` with a response schema (`npm run bench`).
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const figures = { total: 414429, today: 1, month: 1, online: 1, counted: true };
app.post('/bare', async () => figures);
// `npm run bench`'s baseline: a GET with a response schema (serialized as the real routes are).
const n = { type: 'integer' } as const;
app.get(
  '/bare',
  {
    schema: {
      response: {
        200: {
          type: 'object',
          properties: { total: n, today: n, month: n, online: n, counted: { type: 'boolean' } },
        },
      },
    },
  },
  async () => figures,
);
const port = Number(process.env.PORT);
await app.listen({ host: '127.0.0.1', port });
process.stdout.write('ready\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
