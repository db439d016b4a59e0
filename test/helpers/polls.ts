/**
 * A poll as the server shows it (the API's PollView), for the widget tests: four options, open,
 * results always visible, not yet voted.
 */
import type { PollResults, PollView } from '../../src/shared/poll-types.js';

export const TOKEN = `${'A'.repeat(22)}.${'B'.repeat(22)}`;
export const QUESTION = 'Bạn đánh giá như thế nào về cổng thông tin này?';
export const OPTIONS = [
  { id: 'rat-tot', label: 'Rất tốt' },
  { id: 'tot', label: 'Tốt' },
  { id: 'binh-thuong', label: 'Bình thường' },
  { id: 'chua-tot', label: 'Chưa tốt' },
];

export function results(votes: number[], voters = votes.reduce((a, b) => a + b, 0)): PollResults {
  return { voters, options: OPTIONS.map((o, i) => ({ id: o.id, votes: votes[i] ?? 0 })) };
}
export function poll(over: Partial<PollView> = {}): PollView {
  return {
    id: 'danh-gia',
    question: QUESTION,
    options: OPTIONS,
    multiple: false,
    maxChoices: 1,
    opensAt: null,
    closesAt: null,
    status: 'open',
    resultsVisibility: 'always',
    requireProof: false,
    voted: false,
    results: results([3, 1, 0, 0]),
    ...over,
  };
}
/** The poll as the server shows it to a visitor who has voted for `choices`. */
export function voted(choices: string[], over: Partial<PollView> = {}): PollView {
  return poll({ voted: true, choices, ...over });
}
