import { ingest } from '../../src/ingest';
import { pageAt } from '../../src/ingest/text-document';

const limits = { maxFileBytes: 1024 * 1024, maxUnpackedBytes: 1024 * 1024 };

test('plain text is kept as the file holds it, only CRLF becoming LF', async () => {
  const file = '1. Notice\r\nSupplier shall notify Customer.\r\n\r\n2. Term\r\n';
  const doc = await ingest(Buffer.from(file, 'utf8'), limits);
  expect(doc.text).toBe(file.replace(/\r\n/g, '\n'));
  expect(doc.pages).toEqual([{ number: 1, start: 0, end: doc.text.length }]);
});

test('a form feed separates pages, and offsets map to their page', async () => {
  const doc = await ingest(Buffer.from('page one\n\f\npage two\n\f\npage three'), limits);
  expect(doc.pages.map((p) => doc.text.slice(p.start, p.end).trim())).toEqual(['page one', 'page two', 'page three']);
  expect(pageAt(doc.pages, doc.text.indexOf('two'))).toBe(2);
  expect(pageAt(doc.pages, doc.text.indexOf('three'))).toBe(3);
});

test('bytes that are not UTF-8 are read as Windows-1252', async () => {
  const doc = await ingest(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x35]), limits);
  expect(doc.text).toBe('Café €5');
});

test('UTF-16 text with a byte-order mark is read', async () => {
  const doc = await ingest(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Governing law: England', 'utf16le')]), limits);
  expect(doc.text).toBe('Governing law: England');
});

test('UTF-8 with accents and curly quotes is read unchanged', async () => {
  const s = '“Supplier” means Société Générale S.A. – see § 4.';
  expect((await ingest(Buffer.from(s), limits)).text).toBe(s);
});
