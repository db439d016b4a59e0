/**
 * SHA-256 in plain JavaScript, for pages where `crypto.subtle` is missing (it exists only in secure
 * contexts, and many portals still serve plain HTTP). The tests check it against `crypto.subtle`
 * and against a real ALTCHA challenge.
 */

const K = new Int32Array(64);
const H = new Int32Array(8);
const frac = (x: number) => ((x - Math.floor(x)) * 2 ** 32) | 0;
for (let n = 2, i = 0; i < 64; n++) {
  let prime = true;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
  if (prime) {
    if (i < 8) H[i] = frac(n ** 0.5);
    K[i++] = frac(Math.cbrt(n));
  }
}

const W = new Int32Array(64);

/** The SHA-256 digest of `data` (up to 512 MB). */
export function sha256(data: Uint8Array): Uint8Array {
  const len = data.length;
  const size = ((len + 72) >> 6) << 6;
  const m = new Uint8Array(size);
  m.set(data);
  m[len] = 0x80;
  for (let i = 1, bits = len * 8; i < 5; i++, bits >>>= 8) m[size - i] = bits;
  const h = H.slice();
  for (let off = 0; off < size; off += 64) {
    for (let i = 0; i < 64; i++) {
      if (i < 16) {
        const j = off + i * 4;
        W[i] = (m[j]! << 24) | (m[j + 1]! << 16) | (m[j + 2]! << 8) | m[j + 3]!;
      } else {
        const x = W[i - 15]!,
          y = W[i - 2]!;
        W[i] =
          (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) +
          (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) +
          W[i - 16]! +
          W[i - 7]!;
      }
    }
    let a = h[0]!,
      b = h[1]!,
      c = h[2]!,
      d = h[3]!,
      e = h[4]!,
      f = h[5]!,
      g = h[6]!,
      k = h[7]!;
    for (let i = 0; i < 64; i++) {
      const t1 =
        (k +
          (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
          ((e & f) ^ (~e & g)) +
          K[i]! +
          W[i]!) |
        0;
      const t2 =
        ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
          ((a & b) ^ (a & c) ^ (b & c))) |
        0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = h[i >> 2]! >>> (24 - (i & 3) * 8);
  return out;
}
