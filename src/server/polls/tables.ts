/** Kysely row types of the poll tables (`0002_polls`). */
import type { ColumnType } from 'kysely';
import type { Int8 } from '../db/database.js';

/** `polls`: one row per poll of a site. */
export interface PollsTable {
  site: string;
  id: string;
  question: string;
  multiple: number;
  max_choices: number;
  opens_at: ColumnType<number | string | null, number | null | undefined, number | null>;
  closes_at: ColumnType<number | string | null, number | null | undefined, number | null>;
  results_visibility: string;
  ip_ceiling: number;
  require_proof: number;
  created_at: Int8;
  updated_at: Int8;
}

/** `poll_options`: the options of a poll in `position` order. */
export interface PollOptionsTable {
  site: string;
  poll: string;
  id: string;
  label: string;
  position: number;
}

/** `poll_tallies`: votes per option (option `''`: voters), summed over `shard` rows. */
export interface PollTalliesTable {
  site: string;
  poll: string;
  option: string;
  shard: number;
  count: Int8;
}

/** `poll_votes`: one row per (site, poll, voter id); `choices` is a JSON array of option ids. */
export interface PollVotesTable {
  site: string;
  poll: string;
  voter: string;
  choices: string;
  created_at: Int8;
}

/**
 * `poll_ip_counts`: votes per poll and IP prefix on one UTC day. `ip_key` is an HMAC of the
 * prefix under that day's salt (core/daily-salt.ts, deleted the next day), never the address itself.
 */
export interface PollIpCountsTable {
  site: string;
  poll: string;
  day: string;
  ip_key: string;
  count: ColumnType<number, number, number>;
}

export interface PollTables {
  polls: PollsTable;
  poll_options: PollOptionsTable;
  poll_votes: PollVotesTable;
  poll_ip_counts: PollIpCountsTable;
  poll_tallies: PollTalliesTable;
}
