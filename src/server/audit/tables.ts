/** Kysely row type of the audit log (`0008_audit`). */
import type { Int8 } from '../db/database.js';

/** `audit_log`: one change; rows are only added. */
export interface AuditLogTable {
  /** 16 characters that sort in the order the entries were written (audit/store.ts). */
  id: string;
  at: Int8;
  /** The user's e-mail, `token:<name>`, `ADMIN_TOKEN` or `cli`. */
  actor: string;
  user_id: string | null;
  /** `poll.update`, `comment.approve`, `user.create`… */
  action: string;
  site: string | null;
  target: string | null;
  /** JSON of the settings before and after the change, when the route gives them. */
  before: string | null;
  after: string | null;
}

export interface AuditTables {
  audit_log: AuditLogTable;
}
