/**
 * Decides a document's format from its bytes, never from its name: a PDF
 * renamed to .txt is still a PDF, and a ZIP that is not a Word document is
 * refused rather than fed to the DOCX reader.
 */
export type SniffedFormat = 'pdf' | 'zip' | 'text' | 'binary';

const PDF_MAGIC = Buffer.from('%PDF-');
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_EMPTY_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

export function sniffFormat(bytes: Buffer): SniffedFormat {
  // Some producers put junk before the header; PDF readers accept it within
  // the first kilobyte, and so do we.
  const head = bytes.subarray(0, 1024);
  if (head.indexOf(PDF_MAGIC) !== -1) return 'pdf';
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC) || bytes.subarray(0, 4).equals(ZIP_EMPTY_MAGIC)) return 'zip';
  return looksLikeText(bytes) ? 'text' : 'binary';
}

/**
 * Text has no NUL bytes (unless it is UTF-16, which announces itself with a
 * byte-order mark) and few control characters other than tab, newlines and
 * form feed.
 */
function looksLikeText(bytes: Buffer): boolean {
  if (hasUtf16Bom(bytes)) return true;
  const sample = bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control <= sample.length * 0.01;
}

export function hasUtf16Bom(bytes: Buffer): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}
