/**
 * Text from visitors and editors, made safe to store and show: one Unicode form (NFC), no
 * invisible characters that reorder or hide text in one-line fields, and no towers of combining
 * marks. Every feature cleans its input with these before storing it.
 *
 * - Bidirectional controls (U+202A–202E embeddings and overrides, U+2066–2069 isolates, U+200E/F
 *   marks, U+061C) and zero-width characters (U+200B–200D, U+2060, U+FEFF) are removed from
 *   one-line fields (names, titles, options, slogans, labels): there they only serve to disguise
 *   text ("Admin\u202Egnp.exe" shows as "Adminexe.png").
 * - At most {@link MAX_MARKS} combining marks follow one base character, everywhere (counted in
 *   NFD, so a precomposed letter counts its marks). Vietnamese needs at most two (ệ = e + dot
 *   below + circumflex) and survives intact, typed precomposed or decomposed.
 */

/** Combining marks kept after one base character. */
export const MAX_MARKS = 3;

const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF]/g;
const MARK = /\p{M}/u;

/** NFC, with at most {@link MAX_MARKS} combining marks per base character. */
export function capMarks(text: string): string {
  let out = '';
  let run = 0;
  for (const ch of text.normalize('NFD')) {
    if (MARK.test(ch)) {
      if (++run > MAX_MARKS) continue;
    } else {
      run = 0;
    }
    out += ch;
  }
  return out.normalize('NFC');
}

/** A one-line field: without bidi controls and zero-width characters, marks capped, NFC, trimmed. */
export function cleanLine(text: string | undefined): string {
  return capMarks((text ?? '').replace(INVISIBLE, '')).trim();
}

/** A multi-line field (a comment): marks capped, NFC, line breaks as LF, trimmed. */
export function cleanText(text: string | undefined): string {
  return capMarks((text ?? '').replace(/\r\n?/g, '\n')).trim();
}
