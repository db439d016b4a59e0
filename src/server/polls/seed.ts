/** The demo site's poll, created when missing. */
import type { Storage } from '../db/storage.js';
import { PollStore, type NewPoll } from './store.js';

/** The sidebar poll of the demo portal: "Bạn đánh giá như thế nào về cổng thông tin này?". */
export const DEMO_POLL: NewPoll = {
  site: 'demo',
  id: 'danh-gia-cong-thong-tin',
  question: 'Bạn đánh giá như thế nào về cổng thông tin này?',
  options: [
    { id: 'rat-tot', label: 'Rất tốt' },
    { id: 'tot', label: 'Tốt' },
    { id: 'binh-thuong', label: 'Bình thường' },
    { id: 'chua-tot', label: 'Chưa tốt' },
  ],
  multiple: false,
  maxChoices: 1,
  opensAt: null,
  closesAt: null,
  resultsVisibility: 'always',
  ipCeiling: 100,
  requireProof: false,
};

export async function seedDemoPoll(storage: Storage): Promise<boolean> {
  return new PollStore(storage.db, storage.dialect).create(DEMO_POLL);
}
