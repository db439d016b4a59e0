/** Values that could not be stored: Web Storage blocked (privacy modes, sandboxes) or full. */
const memory = new Map<string, string>();

/**
 * Reads `key` (no `value`), stores `value`, or forgets the key (`null`) in localStorage or
 * sessionStorage. An in-memory copy keeps the value for this page when storage is unavailable.
 */
export function stored(
  area: 'localStorage' | 'sessionStorage',
  key: string,
  value?: string | null,
): string | undefined {
  if (value === null) memory.delete(key);
  try {
    const storage = window[area];
    if (value === undefined) return storage.getItem(key) ?? memory.get(key);
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
  } catch {
    // Storage blocked or full: the in-memory copy holds for this page.
    if (value) memory.set(key, value);
    return memory.get(key);
  }
  return value ?? undefined;
}
