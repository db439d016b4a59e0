/**
 * A small PNG decoder for tests (8-bit RGB / RGBA / grey, and indexed colour of 1–8 bits expanded
 * to RGB; non-interlaced; all five filters).
 */
import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** Bytes per pixel. */
  channels: number;
  pixels: Uint8Array;
}

export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    throw new Error('not a PNG signature');
  let offset = 8;
  let width = 0,
    height = 0,
    channels = 0,
    depth = 8;
  let palette: Buffer | undefined;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8]!;
      if (data[12] !== 0) throw new Error('only non-interlaced PNGs');
      channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[data[9]!] ?? 0;
      if (!channels) throw new Error(`unsupported colour type ${data[9]}`);
      if (data[9] === 3 ? ![1, 2, 4, 8].includes(depth) : depth !== 8)
        throw new Error(`unsupported bit depth ${depth}`);
      if (data[9] === 3) palette = Buffer.alloc(0);
    } else if (type === 'PLTE') palette = Buffer.from(data);
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  if (palette) return expandIndexed(raw, width, height, depth, palette);
  const stride = width * channels;
  if (raw.length !== (stride + 1) * height) throw new Error('IDAT size does not match the header');
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? pixels[y * stride + i - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels]! : 0;
      let v: number;
      if (filter === 0) v = x;
      else if (filter === 1) v = x + a;
      else if (filter === 2) v = x + b;
      else if (filter === 3) v = x + ((a + b) >> 1);
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - c);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      } else throw new Error(`bad filter ${filter}`);
      pixels[y * stride + i] = v & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Indexed rows (filter 0 only, as our encoder writes them) to RGB through the palette. */
function expandIndexed(
  raw: Buffer,
  width: number,
  height: number,
  depth: number,
  palette: Buffer,
): DecodedPng {
  if (palette.length === 0 || palette.length % 3 !== 0) throw new Error('missing or bad PLTE');
  const stride = Math.ceil((width * depth) / 8);
  if (raw.length !== (stride + 1) * height) throw new Error('IDAT size does not match the header');
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    if (raw[y * (stride + 1)] !== 0) throw new Error('only filter 0 for indexed rows');
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = raw[y * (stride + 1) + 1 + (bit >> 3)]!;
      const index = (byte >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
      if (index * 3 >= palette.length) throw new Error(`index ${index} outside the palette`);
      pixels.set(palette.subarray(index * 3, index * 3 + 3), (y * width + x) * 3);
    }
  }
  return { width, height, channels: 3, pixels };
}
