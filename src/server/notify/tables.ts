/** Kysely row types of moderator notifications (`0009_notify`). */
import type { Int8 } from '../db/database.js';

/** `notify_settings`: one row per site that changed the defaults (e-mails on, no webhook). */
export interface NotifySettingsTable {
  site: string;
  /** 1: the site's moderators get e-mails; 0: not. */
  emails: number;
  /** http(s) URL that receives a signed POST per waiting comment; null: none. */
  webhook_url: string | null;
  /** HMAC-SHA256 key of the webhook (base64url): shown once, never returned again. */
  webhook_secret: string | null;
  updated_at: Int8;
}

/** `notify_state`: the e-mail throttle of a site, shared by every instance. */
export interface NotifyStateTable {
  site: string;
  /** When the last mail was claimed for sending (null: never). */
  last_mail_at: Int8<number | null> | null;
  /** Since when a mail is owed (a comment waits that no mail has told of); null: none. */
  due_since: Int8<number | null> | null;
}

export interface NotifyTables {
  notify_settings: NotifySettingsTable;
  notify_state: NotifyStateTable;
}
