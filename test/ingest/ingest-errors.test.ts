import { isAppError } from '../../src/errors';
import { ingest, type IngestCode } from '../../src/ingest';
import { docxBytes, encryptedPdf, scannedPdf, textPdf, wordXml, xlsxLikeZip, zipBombDocx } from '../helpers/bad-files';

/**
 * Every way a document can be refused ends in a typed error with a stable
 * code and a message a user can act on: never a crash, never an empty success.
 */
const limits = { maxFileBytes: 50 * 1024 * 1024, maxUnpackedBytes: 64 * 1024 * 1024 };

async function refusal(bytes: Buffer, lim = limits): Promise<{ code: IngestCode; message: string }> {
  try {
    await ingest(bytes, lim);
  } catch (err) {
    if (isAppError(err)) return { code: err.code as IngestCode, message: err.detail };
    throw err;
  }
  throw new Error('the document was accepted');
}

test('an empty file', async () => {
  expect(await refusal(Buffer.alloc(0))).toEqual({ code: 'EMPTY_FILE', message: expect.stringMatching(/empty/) });
});

test('a text file holding only white space', async () => {
  expect((await refusal(Buffer.from(' \n\t\n'))).code).toBe('EMPTY_FILE');
});

test('a file over the size limit is refused before it is parsed', async () => {
  const pdf = await textPdf();
  const r = await refusal(pdf, { ...limits, maxFileBytes: pdf.length - 1 });
  expect(r.code).toBe('FILE_TOO_LARGE');
  expect(r.message).toContain(`${pdf.length} bytes`);
});

test('an image is not a supported format', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  expect((await refusal(png)).code).toBe('UNSUPPORTED_FORMAT');
});

test('a spreadsheet (a ZIP that is not a Word document) is not a supported format', async () => {
  const r = await refusal(await xlsxLikeZip());
  expect(r).toEqual({ code: 'UNSUPPORTED_FORMAT', message: expect.stringMatching(/Excel workbook/) });
});

test('a truncated PDF', async () => {
  const pdf = await textPdf();
  expect((await refusal(pdf.subarray(0, Math.floor(pdf.length / 3)))).code).toBe('PDF_CORRUPT');
});

test('garbage after a PDF header', async () => {
  expect((await refusal(Buffer.from('%PDF-1.7\n this is not really a pdf at all \n%%EOF'))).code).toBe('PDF_CORRUPT');
});

test('an encrypted PDF', async () => {
  const r = await refusal(await encryptedPdf());
  expect(r).toEqual({ code: 'PDF_ENCRYPTED', message: expect.stringMatching(/password/) });
});

test('a PDF with no text layer needs OCR', async () => {
  const r = await refusal(await scannedPdf());
  expect(r).toEqual({ code: 'NEEDS_OCR', message: expect.stringMatching(/scanned/) });
});

test('a truncated DOCX', async () => {
  const docx = await docxBytes(wordXml(['The Supplier shall notify the Customer.']));
  expect((await refusal(docx.subarray(0, docx.length - 40))).code).toBe('DOCX_CORRUPT');
});

test('a DOCX whose document is not XML', async () => {
  expect((await refusal(await docxBytes('this is <not xml'))).code).toBe('DOCX_CORRUPT');
});

test('a DOCX that unpacks to an absurd size (zip bomb) is refused before it is unpacked', async () => {
  const bomb = await zipBombDocx(8 * 1024 * 1024);
  expect(bomb.length).toBeLessThan(100 * 1024);
  const r = await refusal(bomb, { ...limits, maxUnpackedBytes: 2 * 1024 * 1024 });
  expect(r).toEqual({ code: 'DOCX_TOO_LARGE_UNPACKED', message: expect.stringMatching(/zip bomb/) });
});

test('a DOCX with no text', async () => {
  expect((await refusal(await docxBytes(wordXml([])))).code).toBe('EMPTY_FILE');
});

test('the format is taken from the bytes: a readable PDF is read whatever it is called', async () => {
  const doc = await ingest(await textPdf(), limits);
  expect(doc.format).toBe('pdf');
  expect(doc.text).toContain('seventy-two (72) hours');
});
