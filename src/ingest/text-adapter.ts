import { hasUtf16Bom } from './detect-format';
import { type TextDocument, type Page } from './text-document';

/**
 * Plain text: the document's text is the file's content unchanged except that
 * CRLF (and lone CR) become LF, so offsets point into the file as users see it.
 * A form feed separates pages, as printers and many exporters use it.
 * Bytes that are not valid UTF-8 are read as Windows-1252, the usual encoding
 * of older text exports, rather than refused.
 */
export function decodeText(bytes: Buffer): string {
  if (hasUtf16Bom(bytes)) {
    const le = bytes[0] === 0xff;
    return new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

/** Windows-1252 differs from Latin-1 only in 0x80-0x9F (curly quotes, dashes, euro sign). */
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function decodeWindows1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

export function textToDocument(raw: string): TextDocument {
  const text = raw.replace(/\r\n?/g, '\n');
  return { format: 'text', text, pages: splitPagesAtFormFeeds(text) };
}

export function splitPagesAtFormFeeds(text: string): Page[] {
  const pages: Page[] = [];
  let start = 0;
  let number = 1;
  for (let i = text.indexOf('\f'); i !== -1; i = text.indexOf('\f', i + 1)) {
    pages.push({ number: number++, start, end: i });
    start = i + 1;
  }
  pages.push({ number, start, end: text.length });
  return pages;
}
