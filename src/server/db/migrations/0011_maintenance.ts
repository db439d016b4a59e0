import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { required } from './columns.js';

/**
 * `0011_maintenance`: the lease of the periodic clean-up (core/maintenance.ts). One row per job;
 * the instance whose conditional UPDATE moves `next_at` forward does that round's work.
 */
export const maintenanceMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('maintenance_runs')
      .$call(required({ key: 'job', text: ['holder'], bigint: ['next_at', 'last_at'] }))
      .execute();
  },
};
