import type { FastifyInstance } from 'fastify';

/** `/health/live`: the process answers. `/health/ready`: the database answers too. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const { storage } = app.civic;
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_req, reply) => {
    try {
      await storage.ping();
      return { status: 'ok', database: storage.dialect };
    } catch {
      return reply
        .status(503)
        .send({ error: { code: 'not_ready', message: 'The database does not answer' } });
    }
  });
}
