import zlib from 'node:zlib';
import { ingestError } from './ingest-errors';

/**
 * A guard against PDF compression bombs, run before any reader sees the file.
 * pdf.js keeps a whole decoded stream in memory while it reads it: a 14 kB
 * file whose page content inflates to 1 GiB of blanks took 49 s and 2 GB of
 * memory, and a 4.7 MB one hiding its page tree behind 1 GiB in an object
 * stream 51 s and 3 GB. So the data of every stream that is zlib-compressed
 * (FlateDecode: page contents, object streams, fonts, images; also when
 * wrapped in hexadecimal or compressed twice) is inflated here first,
 * counting bytes and keeping none, against three budgets:
 *
 * - each stream: at most `maxUnpackedBytes` (a page's content is kilobytes,
 *   a full-page colour image at 300 dpi 25 MB);
 * - all streams that are not images together: 8 times that (what pdf.js reads);
 * - images together: 64 times that (pdf.js does not decode them to read text;
 *   a long lossless colour scan is large but legitimate).
 *
 * The stream data is found by its keywords and recognised by the zlib header
 * it starts with, not by what its dictionary says: a dictionary can hide its
 * filter from a simple reading (a name written with #-escapes, a decoy in a
 * string), the data cannot. Only the image budget relies on the dictionary.
 * Not measured: other codecs (LZW, ASCII85, RunLength) and encrypted streams.
 */
export interface PdfStreamLimits {
  maxUnpackedBytes: number;
}

/** At most this many decoding stages are followed (a zlib stream can inflate to itself). */
const MAX_STAGES = 8;
/** How far before a stream its dictionary is looked for, for the image budget (further is counted as content). */
const DICT_WINDOW = 4096;

interface StreamData {
  /** where its "stream" keyword is */
  at: number;
  data: Buffer;
}

/** The data after every "stream" keyword, up to the next "endstream" (or the end of the file). */
function* streamsOf(text: string, bytes: Buffer): Generator<StreamData> {
  const ends: number[] = [];
  for (let i = text.indexOf('endstream'); i >= 0; i = text.indexOf('endstream', i + 9)) ends.push(i);
  // pdf.js, like the specification, skips whatever follows the keyword up to the end of the line
  const keyword = /stream[^\r\n]{0,64}?(?:\r\n|\n|\r)/g;
  let e = 0;
  for (let m = keyword.exec(text); m; m = keyword.exec(text)) {
    if (m.index >= 3 && text.startsWith('end', m.index - 3)) continue;
    const dataStart = m.index + m[0].length;
    while (e < ends.length && ends[e] < dataStart) e++;
    // (the scan goes on right after the keyword: a decoy "stream" before a real one must not hide it)
    keyword.lastIndex = dataStart;
    yield { at: m.index, data: bytes.subarray(dataStart, e < ends.length ? ends[e] : bytes.length) };
  }
}

const isZlib = (d: Buffer) => d.length >= 2 && (d[0] & 0x0f) === 8 && d[0] >> 4 <= 7 && ((d[0] << 8) | d[1]) % 31 === 0;

const HEX_OR_SPACE = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF \t\r\n\f\0') HEX_OR_SPACE[c.charCodeAt(0)] = 1;

/** Hexadecimal digits and white space up to a ">" or the end (ASCIIHexDecode); null at any other byte. */
function hexDecoded(d: Buffer): Buffer | null {
  let end = 0;
  while (end < d.length && HEX_OR_SPACE[d[end]]) end++;
  if (end < d.length && d[end] !== 0x3e) return null;
  const hex = d.toString('latin1', 0, end).replace(/[^0-9A-Fa-f]/g, '');
  if (hex.length < 4) return null;
  return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
}

class TooLarge extends Error {}

/** One inflation, stopping past `limit`; a stream damaged after good data gives what it held before the damage. */
async function inflate(data: Buffer, limit: number): Promise<Buffer | null> {
  try {
    // Z_SYNC_FLUSH: a truncated stream gives what it holds instead of an error
    return zlib.inflateSync(data, { maxOutputLength: limit, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new TooLarge();
    return inflateUntilError(data, limit);
  }
}

function inflateUntilError(data: Buffer, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const stream = zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const done = () => resolve(length > 0 ? Buffer.concat(chunks) : null);
    stream.on('data', (c: Buffer) => {
      length += c.length;
      if (length > limit) {
        stream.destroy();
        reject(new TooLarge());
        return;
      }
      chunks.push(c);
    });
    stream.on('error', done);
    stream.on('end', done);
    stream.end(data);
  });
}

/** The stream's size once every compression stage is undone; null when it is not zlib-compressed at all. */
async function unpackedSize(data: Buffer, limit: number): Promise<number | null> {
  let current = data;
  let inflated = false;
  for (let stage = 0; stage < MAX_STAGES; stage++) {
    const hex = isZlib(current) ? null : hexDecoded(current);
    if (hex && isZlib(hex)) current = hex;
    if (!isZlib(current)) break;
    const out = await inflate(current, limit);
    if (out === null) break;
    current = out;
    inflated = true;
  }
  return inflated ? current.length : null;
}

function isImage(text: string, at: number): boolean {
  let dict = text.slice(Math.max(0, at - DICT_WINDOW), at);
  const objEnd = Math.max(dict.lastIndexOf('endobj'), dict.lastIndexOf('endstream'));
  if (objEnd >= 0) dict = dict.slice(objEnd);
  dict = dict.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return /\/Subtype\s*\/Image\b/.test(dict);
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(0);

/** Refuses (PDF_TOO_LARGE_UNPACKED) a PDF whose compressed streams unpack past the limits above. */
export async function checkPdfStreams(bytes: Buffer, limits: PdfStreamLimits): Promise<void> {
  const perStream = limits.maxUnpackedBytes;
  const text = bytes.toString('latin1');
  let content = 0;
  let images = 0;
  const refuse = (what: string, limit: number) =>
    ingestError('PDF_TOO_LARGE_UNPACKED', `${what} more than ${mb(limit)} MiB: refused as a possible compression bomb.`);
  for (const s of streamsOf(text, bytes)) {
    let size: number | null;
    try {
      size = await unpackedSize(s.data, perStream);
    } catch (err) {
      if (err instanceof TooLarge) throw refuse(`A compressed ${isImage(text, s.at) ? 'image' : 'stream (page content, fonts or objects)'} of the PDF unpacks to`, perStream);
      throw err;
    }
    if (size === null) continue;
    if (isImage(text, s.at)) images += size;
    else content += size;
    if (content > perStream * 8) throw refuse("The PDF's compressed page contents, fonts and objects together unpack to", perStream * 8);
    if (images > perStream * 64) throw refuse("The PDF's compressed images together unpack to", perStream * 64);
  }
}
