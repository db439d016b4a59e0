import type { FastifyInstance } from 'fastify';

/**
 * `/health/live`: the process answers. `/health/ready`: the database answers too, and Redis when
 * the instances share their state through it.
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const { storage, shared } = app.civic;
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_req, reply) => {
    try {
      await storage.ping();
    } catch {
      return reply
        .status(503)
        .send({ error: { code: 'not_ready', message: 'The database does not answer' } });
    }
    try {
      await shared.ping();
    } catch {
      return reply
        .status(503)
        .send({ error: { code: 'not_ready', message: 'Redis does not answer' } });
    }
    return shared.kind === 'redis'
      ? { status: 'ok', database: storage.dialect, shared: 'redis' }
      : { status: 'ok', database: storage.dialect };
  });
}
