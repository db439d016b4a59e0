import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 as zlibCrc32 } from 'node:zlib';
import {
  ALPHABET,
  contrastRatio,
  drawCaptcha,
  GLYPHS,
  HEIGHT,
  PALETTE,
  randomCode,
  WIDTH,
} from '../../src/server/captcha/image.js';
import { crc32, encodePng } from '../../src/server/captcha/png.js';
import { decodePng } from '../helpers/png-decode.js';

/** Relative luminance 0…1 of an sRGB pixel. */
function luminance(r: number, g: number, b: number): number {
  const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Ink = a pixel with at least 3:1 contrast against the background. */
function inkMap(png: Buffer) {
  const { width, height, channels, pixels } = decodePng(png);
  const bg = luminance(...(PALETTE.background as unknown as [number, number, number]));
  const ink = (x: number, y: number) => {
    const i = (y * width + x) * channels;
    return (bg + 0.05) / (luminance(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!) + 0.05) >= 3;
  };
  const fraction = (x0: number, x1: number) => {
    let n = 0;
    for (let y = 0; y < height; y++) for (let x = x0; x < x1; x++) if (ink(x, y)) n++;
    return n / ((x1 - x0) * height);
  };
  return { width, height, fraction };
}

describe('captcha image', () => {
  it('is a valid PNG: signature, chunk CRCs (checked by node:zlib), IHDR, inflatable IDAT', () => {
    const png = drawCaptcha('ACEHJK');
    let offset = 8;
    const types: string[] = [];
    while (offset < png.length) {
      const len = png.readUInt32BE(offset);
      const body = png.subarray(offset + 4, offset + 8 + len);
      assert.equal(
        png.readUInt32BE(offset + 8 + len),
        zlibCrc32(body),
        `CRC of ${body.toString('latin1', 0, 4)}`,
      );
      types.push(body.toString('latin1', 0, 4));
      offset += 12 + len;
    }
    assert.deepEqual(types, ['IHDR', 'PLTE', 'IDAT', 'IEND']);
    const d = decodePng(png);
    assert.deepEqual([d.width, d.height, d.channels], [WIDTH, HEIGHT, 3]);
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926, 'the standard CRC-32 check value');
  });

  it('round-trips pixels through the encoder, 4 bits a pixel up to 16 colours, else 8', () => {
    for (const colours of [2, 16, 17, 256]) {
      const palette = Array.from(
        { length: colours },
        (_, k) => [k, (k * 7) % 256, 255 - k] as [number, number, number],
      );
      // An odd width: the last byte of each 4-bit row holds one pixel.
      const indices = new Uint8Array(7 * 5).map((_, i) => (i * 37) % colours);
      const png = encodePng(7, 5, indices, palette);
      assert.equal(png[24], colours <= 16 ? 4 : 8, `bit depth for ${colours} colours`);
      assert.deepEqual(
        decodePng(png).pixels,
        Uint8Array.from([...indices].flatMap((k) => palette[k]!)),
        `${colours} colours`,
      );
    }
    const two: Array<[number, number, number]> = [
      [0, 0, 0],
      [1, 1, 1],
    ];
    assert.throws(() => encodePng(2, 1, Uint8Array.from([0, 2]), two), RangeError, 'index 2');
    assert.throws(() => encodePng(2, 2, Uint8Array.from([0, 1]), two), RangeError, 'too few');
  });

  it('is small: 16 shades of one ink, 4 bits a pixel, under 8 KB', () => {
    for (let run = 0; run < 10; run++) {
      const png = drawCaptcha(randomCode());
      assert.ok(png.length < 8 * 1024, `${png.length} bytes`);
      // IHDR: bit depth 4, colour type 3 (indexed); PLTE (right after it): 16 colours.
      assert.deepEqual([png[24], png[25]], [4, 3]);
      assert.equal(png.readUInt32BE(33), 16 * 3);
      assert.equal(png.toString('latin1', 37, 41), 'PLTE');
    }
  });

  it('has glyph ink spread across the width, well above the noise alone', () => {
    for (let run = 0; run < 20; run++) {
      const code = randomCode();
      const { fraction } = inkMap(drawCaptcha(code));
      // The glyphs sit between x = 20 and x = 220: every fifth of that has real ink.
      const bands = Array.from({ length: 5 }, (_, i) => fraction(20 + i * 40, 60 + i * 40));
      assert.ok(
        bands.every((f) => f >= 0.05),
        `${code}: ink per band ${bands.map((f) => f.toFixed(3)).join(' ')}`,
      );
      const total = fraction(0, WIDTH);
      assert.ok(total > 0.08 && total < 0.5, `${code}: ink ${total.toFixed(3)}`);
      const noiseOnly = inkMap(drawCaptcha('')).fraction(0, WIDTH);
      assert.ok(
        total > noiseOnly * 1.5,
        `glyphs add ink: ${total.toFixed(3)} vs noise ${noiseOnly.toFixed(3)}`,
      );
    }
  });

  it('draws ink at ≥ 4.5:1 contrast against its background', () => {
    for (const ink of PALETTE.inks)
      assert.ok(contrastRatio(ink, PALETTE.background) >= 4.5, `${ink} vs background`);
  });

  it('draws glyphs and noise in one ink per picture: every pixel is a blend of the background and that ink', () => {
    const bg = PALETTE.background;
    /** Distance of `p` from the segment background → ink (in 8-bit RGB units). */
    const offLine = (p: number[], ink: readonly number[]) => {
      const d = ink.map((v, i) => v - bg[i]!);
      const q = p.map((v, i) => v - bg[i]!);
      const len2 = d.reduce((s, v) => s + v * v, 0);
      const t = Math.max(0, Math.min(1, q.reduce((s, v, i) => s + v * d[i]!, 0) / len2));
      return Math.hypot(...q.map((v, i) => v - t * d[i]!));
    };
    const used = new Set<number>();
    for (let n = 0; n < 12; n++) {
      const { width, height, channels, pixels } = decodePng(drawCaptcha(randomCode()));
      const candidates = PALETTE.inks.map((_, k) => k);
      let worst = candidates.map(() => 0);
      for (let i = 0; i < width * height * channels; i += channels) {
        const p = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
        worst = worst.map((w, k) => Math.max(w, offLine(p, PALETTE.inks[k]!)));
      }
      const k = worst.indexOf(Math.min(...worst));
      assert.ok(worst[k]! <= 3, `picture ${n}: pixels ${worst[k]!.toFixed(1)} off its ink's line`);
      used.add(k);
      // Readable: the ink keeps well above WCAG's 4.5:1 against the background.
      assert.ok(contrastRatio(PALETTE.inks[k]!, bg) >= 4.5);
    }
    assert.ok(used.size > 1, 'the ink changes from picture to picture');
  });

  it('differs every time, even for the same code', () => {
    assert.notDeepEqual(drawCaptcha('MN7PX'), drawCaptcha('MN7PX'));
  });

  it('uses an alphabet without look-alikes, each letter from the stroke font', () => {
    for (const ch of '0O1IlL5S2Z8BGDQUV6')
      assert.ok(!ALPHABET.includes(ch.toUpperCase()), `${ch} is not used`);
    for (const ch of ALPHABET) assert.ok(GLYPHS[ch]?.length, `glyph for ${ch}`);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = randomCode();
      assert.match(code, new RegExp(`^[${ALPHABET}]{5,6}$`));
      for (const ch of code) seen.add(ch);
    }
    assert.equal(seen.size, ALPHABET.length, 'every character occurs');
  });
});
