/**
 * The poll editor's draft: what the form holds (text as typed), the checks made before sending
 * (the server makes them again), and the admin API body it becomes. Pure functions, no DOM.
 */
import {
  POLL_ID_PATTERN,
  POLL_LIMITS,
  type AdminPoll,
  type PollSettingsInput,
  type ResultsVisibility,
} from '../shared/polls.js';
import type { ConsoleStrings } from './console.strings.js';

export interface DraftOption {
  /** Stable key of the row in the form (rows move, ids may be missing). */
  key: number;
  /** The stored option's id; none for an option added in the form. */
  id?: string;
  label: string;
}

export interface PollDraft {
  id: string;
  question: string;
  options: DraftOption[];
  multiple: boolean;
  /** As typed. */
  maxChoices: string;
  /** `<input type="datetime-local">` values (the browser's local time), '' for none. */
  opensAt: string;
  closesAt: string;
  resultsVisibility: ResultsVisibility;
  ipCeiling: string;
  requireProof: boolean;
}

/** A problem in the draft: the string to show and its parameters. */
export interface DraftError {
  key: keyof ConsoleStrings;
  params?: Record<string, number>;
}

/** Field → problem; options by `option-<key>`, the option list as a whole by `options`. */
export type DraftErrors = Map<string, DraftError>;

let nextKey = 1;
export const newOption = (label = ''): DraftOption => ({ key: nextKey++, label });

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as a `datetime-local` value in the browser's time zone ('' for null). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (local time) as an ISO instant; null for '', NaN-date for junk. */
function fromLocalInput(value: string): string | null | undefined {
  if (!value) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** A poll id made from a question: no diacritics, lowercase, hyphens ("Bạn đánh giá…" → "ban-danh-gia…"). */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 50)
    .replace(/-+$/, '');
}

/** The draft of a stored poll, or of a new one (two empty options). */
export function draftOf(poll?: AdminPoll): PollDraft {
  return {
    id: poll?.id ?? '',
    question: poll?.question ?? '',
    options: poll
      ? poll.options.map((o) => ({ ...newOption(o.label), id: o.id }))
      : [newOption(), newOption()],
    multiple: poll?.multiple ?? false,
    maxChoices: String(poll?.multiple ? poll.maxChoices : 2),
    opensAt: toLocalInput(poll?.opensAt ?? null),
    closesAt: toLocalInput(poll?.closesAt ?? null),
    resultsVisibility: poll?.resultsVisibility ?? 'always',
    ipCeiling: String(poll?.ipCeiling ?? 100),
    requireProof: poll?.requireProof ?? false,
  };
}

const whole = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : NaN);

/**
 * The problems of a draft, in form order. `isNew`: the id is checked; `optionsLocked` (the poll
 * has votes): options, single/multiple and the maximum are not sent, so not checked.
 */
export function checkDraft(d: PollDraft, isNew: boolean, optionsLocked = false): DraftErrors {
  const errors: DraftErrors = new Map();
  if (isNew && !new RegExp(POLL_ID_PATTERN).test(d.id)) errors.set('id', { key: 'pollErrId' });
  if (!d.question.trim()) errors.set('question', { key: 'pollErrQuestion' });
  if (!optionsLocked) {
    const seen = new Set<string>();
    for (const o of d.options) {
      const label = o.label.trim().toLowerCase();
      if (!label) errors.set(`option-${o.key}`, { key: 'pollErrOptionEmpty' });
      else if (seen.has(label)) errors.set(`option-${o.key}`, { key: 'pollErrOptionDuplicate' });
      seen.add(label);
    }
    if (d.options.length < POLL_LIMITS.minOptions)
      errors.set('options', { key: 'pollErrOptionsMin' });
    if (d.options.length > POLL_LIMITS.maxOptions)
      errors.set('options', { key: 'pollErrOptionsMax' });
    const max = whole(d.maxChoices);
    if (d.multiple && !(max >= 2 && max <= d.options.length))
      errors.set('maxChoices', {
        key: 'pollErrMaxChoices',
        params: { max: Math.max(2, d.options.length) },
      });
  }
  const opens = fromLocalInput(d.opensAt);
  const closes = fromLocalInput(d.closesAt);
  if (opens === undefined) errors.set('opensAt', { key: 'pollErrDate' });
  if (closes === undefined) errors.set('closesAt', { key: 'pollErrDate' });
  else if (opens && closes && Date.parse(closes) <= Date.parse(opens))
    errors.set('closesAt', { key: 'pollErrClosesBeforeOpens' });
  const ceiling = whole(d.ipCeiling);
  if (!(ceiling >= 0 && ceiling <= POLL_LIMITS.ipCeiling))
    errors.set('ipCeiling', { key: 'pollErrIpCeiling' });
  return errors;
}

/**
 * The admin API body of a checked draft. New options get the first free `o1`, `o2`… ids, so a
 * stored option keeps its id (and its votes' meaning) wherever it moves. With `initial` (an
 * edit), a date left as it was is not sent: the form shows minutes, the poll keeps its seconds.
 */
export function inputOf(
  d: PollDraft,
  optionsLocked = false,
  initial?: PollDraft,
): Partial<PollSettingsInput> {
  const used = new Set(d.options.flatMap((o) => (o.id ? [o.id] : [])));
  let n = 0;
  const freeId = () => {
    let id: string;
    do id = `o${++n}`;
    while (used.has(id));
    used.add(id);
    return id;
  };
  const input: Partial<PollSettingsInput> = {
    question: d.question.trim(),
    resultsVisibility: d.resultsVisibility,
    ipCeiling: whole(d.ipCeiling),
    requireProof: d.requireProof,
  };
  if (d.opensAt !== initial?.opensAt) input.opensAt = fromLocalInput(d.opensAt) ?? null;
  if (d.closesAt !== initial?.closesAt) input.closesAt = fromLocalInput(d.closesAt) ?? null;
  if (!optionsLocked) {
    input.options = d.options.map((o) => ({ id: o.id ?? freeId(), label: o.label.trim() }));
    input.multiple = d.multiple;
    input.maxChoices = d.multiple ? whole(d.maxChoices) : 1;
  }
  return input;
}
