/**
 * The captcha picture, drawn on the server as a raster PNG: glyphs from a stroke font defined here
 * (polylines), each randomly rotated, scaled and sheared, drawn with thick anti-aliased strokes so
 * neighbours overlap, crossed by ink-coloured noise curves and dots and by cuts in the background
 * colour, and the whole picture bent by a sine warp. No text element, no font file, no path per
 * glyph in the output: a program only gets pixels.
 */
import { randomBytes } from 'node:crypto';
import { encodePng } from './png.js';

/**
 * Characters without look-alikes (no 0/O/D/Q, 1/I/L, 5/S, 2/Z, 8/B, 6/G, U/V, E/F, P/R…). The
 * answer is compared in upper case, so visitors may type either case.
 */
export const ALPHABET = 'ACEHJKMNPTWXY3479';

type Point = readonly [number, number];
type Stroke = readonly Point[];

/** `n` points along an elliptic arc (y grows downwards) from angle `a0` to `a1`. */
function arc(
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  a0: number,
  a1: number,
  n = 10,
): Point[] {
  return Array.from({ length: n + 1 }, (_, i) => {
    const a = a0 + ((a1 - a0) * i) / n;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)] as const;
  });
}

const PI = Math.PI;

/** The stroke font: each glyph in a 10 × 14 box, y downwards. */
export const GLYPHS: Record<string, Stroke[]> = {
  A: [
    [
      [0, 14],
      [5, 0],
      [10, 14],
    ],
    [
      [2.2, 9],
      [7.8, 9],
    ],
  ],
  C: [arc(5.5, 7, 5, 7, -0.28 * PI, -1.72 * PI, 14)],
  E: [
    [
      [10, 0],
      [0, 0],
      [0, 14],
      [10, 14],
    ],
    [
      [0, 7],
      [7, 7],
    ],
  ],
  H: [
    [
      [0, 0],
      [0, 14],
    ],
    [
      [10, 0],
      [10, 14],
    ],
    [
      [0, 7],
      [10, 7],
    ],
  ],
  J: [
    [
      [3, 0],
      [10, 0],
    ],
    [[8, 0], [8, 10], ...arc(4.5, 10, 3.5, 4, 0, PI, 8).slice(1)],
  ],
  K: [
    [
      [0, 0],
      [0, 14],
    ],
    [
      [10, 0],
      [0, 8.5],
    ],
    [
      [3.5, 5.8],
      [10, 14],
    ],
  ],
  M: [
    [
      [0, 14],
      [0, 0],
      [5, 9],
      [10, 0],
      [10, 14],
    ],
  ],
  N: [
    [
      [0, 14],
      [0, 0],
      [10, 14],
      [10, 0],
    ],
  ],
  P: [[[0, 14], [0, 0], [6, 0], ...arc(6, 3.75, 4, 3.75, -PI / 2, PI / 2, 8).slice(1), [0, 7.5]]],
  T: [
    [
      [0, 0],
      [10, 0],
    ],
    [
      [5, 0],
      [5, 14],
    ],
  ],
  W: [
    [
      [0, 0],
      [2.5, 14],
      [5, 4],
      [7.5, 14],
      [10, 0],
    ],
  ],
  X: [
    [
      [0, 0],
      [10, 14],
    ],
    [
      [10, 0],
      [0, 14],
    ],
  ],
  Y: [
    [
      [0, 0],
      [5, 7],
      [10, 0],
    ],
    [
      [5, 7],
      [5, 14],
    ],
  ],
  '3': [[[1, 0], [9, 0], [4, 5.5], ...arc(5, 9.75, 4.5, 4.25, -PI / 2, 0.85 * PI, 12).slice(1)]],
  '4': [
    [
      [7, 14],
      [7, 0],
      [0, 10],
      [10, 10],
    ],
  ],
  '7': [
    [
      [0, 0],
      [10, 0],
      [3, 14],
    ],
  ],
  '9': [
    arc(5, 4.5, 4.5, 4.5, 0, 2 * PI, 16),
    [
      [9.5, 4.5],
      [8.8, 9],
      [6.2, 12.5],
      [2, 14],
    ],
  ],
};

/** A random source in [0, 1); `seededRandom()` by default. */
export type Random = () => number;

/** sfc32 seeded from the system CSPRNG: fast, and unpredictable to a client. */
export function seededRandom(seed: Uint8Array = randomBytes(16)): Random {
  const v = new DataView(seed.buffer, seed.byteOffset, 16);
  let a = v.getUint32(0),
    b = v.getUint32(4),
    c = v.getUint32(8),
    d = v.getUint32(12);
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
}

export const WIDTH = 240;
export const HEIGHT = 90;

/**
 * Background (#f4f1e8) and inks; every ink has a contrast ratio above 9:1 against it. A picture
 * uses one ink for everything it draws.
 */
const BACKGROUND = [0xf4, 0xf1, 0xe8] as const;
const INKS: ReadonlyArray<readonly [number, number, number]> = [
  [0x1b, 0x2a, 0x4a],
  [0x3b, 0x1d, 0x4a],
  [0x0f, 0x3b, 0x2e],
  [0x4a, 0x1d, 0x1d],
  [0x22, 0x22, 0x22],
];

/** WCAG contrast ratio of two sRGB colours. */
export function contrastRatio(a: readonly number[], b: readonly number[]): number {
  const lum = (c: readonly number[]) =>
    c
      .map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
export const PALETTE = { background: BACKGROUND, inks: INKS };

/**
 * Shades between the background and the ink in a picture's palette: its pixels are only ever
 * blends of the two, so 16 of them (4 bits a pixel) keep the anti-aliasing, and the PNG is a
 * third of the size of an RGB one.
 */
const SHADES = 16;

/** The palette of a picture in `ink`: shade k is k/15 of the way from the background to the ink. */
function shades(ink: readonly [number, number, number]): Array<[number, number, number]> {
  return Array.from({ length: SHADES }, (_, k) => {
    const t = k / (SHADES - 1);
    return BACKGROUND.map((b, ch) => Math.round(b + (ink[ch]! - b) * t)) as [
      number,
      number,
      number,
    ];
  });
}

/**
 * The picture as ink coverage: 0 is the background, 1 the ink (a picture uses one ink, so one
 * channel holds it all).
 */
class Canvas {
  readonly ink = new Float32Array(WIDTH * HEIGHT);
  private readonly cover = new Float32Array(WIDTH * HEIGHT);

  /**
   * Paints the union of `strokes` (pixel coordinates) with half-width `hw` in the ink
   * (`value` 1) or the background (0): coverage is the distance to the nearest segment, so
   * edges are anti-aliased and joints are not painted twice.
   */
  paint(strokes: Point[][], hw: number, value: 0 | 1, alpha = 1): void {
    const cover = this.cover;
    let x0 = WIDTH,
      y0 = HEIGHT,
      x1 = 0,
      y1 = 0;
    for (const s of strokes) {
      for (let i = 1; i < s.length; i++) {
        const [ax, ay] = s[i - 1]!;
        const [bx, by] = s[i]!;
        const sx0 = Math.max(0, Math.floor(Math.min(ax, bx) - hw - 1));
        const sx1 = Math.min(WIDTH - 1, Math.ceil(Math.max(ax, bx) + hw + 1));
        const sy0 = Math.max(0, Math.floor(Math.min(ay, by) - hw - 1));
        const sy1 = Math.min(HEIGHT - 1, Math.ceil(Math.max(ay, by) + hw + 1));
        x0 = Math.min(x0, sx0);
        x1 = Math.max(x1, sx1);
        y0 = Math.min(y0, sy0);
        y1 = Math.max(y1, sy1);
        const dx = bx - ax,
          dy = by - ay;
        const len2 = dx * dx + dy * dy || 1e-9;
        // Pixels farther than this from the segment get no coverage: no square root for them.
        const reach2 = (hw + 0.5) * (hw + 0.5);
        for (let y = sy0; y <= sy1; y++) {
          for (let x = sx0; x <= sx1; x++) {
            const px = x + 0.5 - ax,
              py = y + 0.5 - ay;
            const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
            const ex = px - t * dx,
              ey = py - t * dy;
            const d2 = ex * ex + ey * ey;
            if (d2 >= reach2) continue;
            const c = hw + 0.5 - Math.sqrt(d2);
            const k = y * WIDTH + x;
            if (c > cover[k]!) cover[k] = c > 1 ? 1 : c;
          }
        }
      }
    }
    const ink = this.ink;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const k = y * WIDTH + x;
        const c = cover[k]! * alpha;
        if (!c) continue;
        cover[k] = 0;
        ink[k] = ink[k]! * (1 - c) + value * c;
      }
    }
  }

  /** Resamples the picture through a sine warp (bilinear), returning shade indices. */
  warp(ax: number, ay: number, lx: number, ly: number, p1: number, p2: number): Uint8Array {
    const out = new Uint8Array(WIDTH * HEIGHT);
    const ink = this.ink;
    // The horizontal shift depends on the row only, the vertical one on the column only.
    const shiftY = new Float64Array(WIDTH);
    for (let x = 0; x < WIDTH; x++) shiftY[x] = ay * Math.sin((2 * PI * x) / lx + p2);
    for (let y = 0; y < HEIGHT; y++) {
      const shiftX = ax * Math.sin((2 * PI * y) / ly + p1);
      for (let x = 0; x < WIDTH; x++) {
        const sx = x + shiftX;
        const sy = y + shiftY[x]!;
        const fx = Math.floor(sx),
          fy = Math.floor(sy);
        const tx = sx - fx,
          ty = sy - fy;
        // Outside the picture, its edge pixels.
        const x0 = fx < 0 ? 0 : fx >= WIDTH ? WIDTH - 1 : fx;
        const x1 = fx + 1 < 0 ? 0 : fx + 1 >= WIDTH ? WIDTH - 1 : fx + 1;
        const r0 = (fy < 0 ? 0 : fy >= HEIGHT ? HEIGHT - 1 : fy) * WIDTH;
        const r1 = (fy + 1 < 0 ? 0 : fy + 1 >= HEIGHT ? HEIGHT - 1 : fy + 1) * WIDTH;
        const top = ink[r0 + x0]! * (1 - tx) + ink[r0 + x1]! * tx;
        const bottom = ink[r1 + x0]! * (1 - tx) + ink[r1 + x1]! * tx;
        out[y * WIDTH + x] = Math.round((top * (1 - ty) + bottom * ty) * (SHADES - 1));
      }
    }
    return out;
  }
}

/** A wavy line across the whole picture. */
function noiseCurve(random: Random): Point[] {
  const y = 10 + random() * (HEIGHT - 20);
  const amp = 6 + random() * 14;
  const len = 50 + random() * 90;
  const phase = random() * 2 * PI;
  const slope = (random() - 0.5) * 0.3;
  return Array.from({ length: 23 }, (_, i) => {
    const x = -5 + (i * (WIDTH + 10)) / 22;
    return [x, y + slope * (x - WIDTH / 2) + amp * Math.sin((2 * PI * x) / len + phase)] as const;
  });
}

/** Draws `code` (characters of {@link ALPHABET}); returns the PNG bytes. */
export function drawCaptcha(code: string, random: Random = seededRandom()): Buffer {
  const r = (min: number, max: number) => min + random() * (max - min);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const canvas = new Canvas();
  // One ink per picture for glyphs and noise alike: colour separates nothing.
  const ink = pick(INKS);

  /** `count` short ink strokes at random places, each at most `reach` px each way. */
  const specks = (count: number, reach: number, width: () => number, alpha?: number) => {
    for (let i = 0; i < count; i++) {
      const [x, y] = [r(0, WIDTH), r(0, HEIGHT)];
      const end: Point = [x + r(-reach, reach), y + r(-reach, reach)];
      canvas.paint([[[x, y], end]], width(), 1, alpha);
    }
  };

  // Faint background speckles so the ground is not a flat colour a filter could key out.
  specks(60, 6, () => r(0.5, 1.5), 0.12);

  const advance = (WIDTH - 40) / code.length;
  let cx = 22 + advance / 2 + r(-4, 2);
  const glyphs: Point[][][] = [];
  for (const ch of code) {
    const strokes = GLYPHS[ch];
    if (!strokes) throw new RangeError(`no glyph for "${ch}"`);
    const scale = r(3.6, 4.1);
    const sx = scale * r(0.72, 0.95),
      sy = scale * r(0.9, 1.12);
    const angle = r(-0.28, 0.28),
      shear = r(-0.22, 0.22);
    const cos = Math.cos(angle),
      sin = Math.sin(angle);
    const cy = HEIGHT / 2 + r(-5, 5);
    glyphs.push(
      strokes.map((s) =>
        s.map(([gx, gy]) => {
          const x = (gx - 5) * sx + shear * (gy - 7) * sy;
          const y = (gy - 7) * sy;
          return [cx + x * cos - y * sin, cy + x * sin + y * cos] as const;
        }),
      ),
    );
    // Less than a glyph's width: neighbours touch and overlap.
    cx += advance * r(0.93, 1.04);
  }

  // Noise in the glyphs' ink behind and in front of them, so colour does not separate them.
  canvas.paint([noiseCurve(random)], r(0.8, 1.1), 1);
  for (const g of glyphs) canvas.paint(g, r(2.3, 2.8), 1);
  canvas.paint([noiseCurve(random)], r(0.6, 0.9), 1);
  // A thin cut in the background colour breaks strokes apart.
  canvas.paint([noiseCurve(random)], r(0.45, 0.6), 0);
  specks(70, 1.5, () => r(0.6, 1.1));

  const pixels = canvas.warp(r(1.5, 3), r(3, 5), r(70, 120), r(45, 80), r(0, 2 * PI), r(0, 2 * PI));
  return encodePng(WIDTH, HEIGHT, pixels, shades(ink));
}

/** A random code of 5 or 6 characters from {@link ALPHABET} (system CSPRNG). */
export function randomCode(): string {
  const bytes = randomBytes(7);
  const length = 5 + (bytes[0]! & 1);
  let code = '';
  // 256 is not a multiple of the alphabet size: reject the top of the range to stay uniform.
  const limit = 256 - (256 % ALPHABET.length);
  for (let i = 1; code.length < length; i++) {
    const b = i < bytes.length ? bytes[i]! : randomBytes(1)[0]!;
    if (b < limit) code += ALPHABET[b % ALPHABET.length];
  }
  return code;
}
