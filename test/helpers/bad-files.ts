import zlib from 'node:zlib';
import JSZip from 'jszip';
import PDFDocument from 'pdfkit';

/** Builds the kinds of broken and hostile documents users upload, in memory. */

export function pdfBytes(draw: (doc: PDFKit.PDFDocument) => void, options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', ...options });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

export const SAMPLE_SENTENCE =
  'The Supplier shall notify the Customer within seventy-two (72) hours after becoming aware of a Security Incident affecting Customer Data.';

/** A one-page PDF with a text layer. */
export function textPdf(text = SAMPLE_SENTENCE): Promise<Buffer> {
  return pdfBytes((d) => d.fontSize(11).text(text));
}

/** A password-protected PDF (RC4/AES as pdfkit writes it). */
export function encryptedPdf(): Promise<Buffer> {
  return pdfBytes((d) => d.text(SAMPLE_SENTENCE), { userPassword: 'secret', ownerPassword: 'owner' });
}

/** A PDF with only drawings: what a scanner produces, minus the image. */
export function scannedPdf(pages = 2): Promise<Buffer> {
  return pdfBytes((d) => {
    for (let p = 0; p < pages; p++) {
      if (p > 0) d.addPage();
      for (let i = 0; i < 40; i++) d.rect(72, 72 + i * 14, 300 + (i % 5) * 20, 8).fill('#333');
    }
  });
}

export async function docxBytes(documentXml: string, extra: Record<string, string> = {}): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file('word/document.xml', documentXml);
  for (const [name, content] of Object.entries(extra)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export function wordXml(paragraphs: string[]): string {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
}

/** A DOCX whose document.xml unpacks to `unpackedBytes` of white space: a small zip bomb. */
export function zipBombDocx(unpackedBytes: number): Promise<Buffer> {
  const padding = ' '.repeat(unpackedBytes);
  return docxBytes(wordXml(['Contract']).replace('<w:body>', `<w:body>${padding}`));
}

/** A ZIP that is a spreadsheet, not a Word document. */
export async function xlsxLikeZip(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types/>');
  zip.file('xl/workbook.xml', '<workbook/>');
  return zip.generateAsync({ type: 'nodebuffer' });
}

// ---------------------------------------------------------------------------
// Hostile files: bombs and lies, built byte by byte at test time.

/** A valid 1x1 PNG image: an image, whatever it is named. */
export function pngImage(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(typed) >>> 0);
    return Buffer.concat([head, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.from([0, 0x1f, 0x6f, 0xb4, 0xff]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Text in Windows-1252 (curly quotes, a euro sign, a section sign): not valid UTF-8. */
export function windows1252Text(): Buffer {
  const body = 'The Supplier shall notify the Customer within 72 hours of a Security Incident. Liability is capped at \u20ac1,000,000 (\u00a7 9) \u201cas agreed\u201d.';
  const high: Record<string, number> = { '\u20ac': 0x80, '\u201c': 0x93, '\u201d': 0x94 };
  return Buffer.from([...body].map((c) => high[c] ?? c.charCodeAt(0)));
}

/** One line of `bytes` bytes of contract prose with no line break anywhere. */
export function singleLineText(bytes: number, sentence = `${SAMPLE_SENTENCE} `): Buffer {
  return Buffer.from(sentence.repeat(Math.ceil(bytes / sentence.length)).slice(0, bytes));
}

/**
 * A PDF written object by object: `objects[i]` is the body of object i + 1
 * (object 1 is the catalog), with a correct cross-reference table.
 */
export function rawPdf(objects: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), typeof body === 'string' ? Buffer.from(body, 'latin1') : body, Buffer.from('\nendobj\n')]);
    parts.push(b);
    length += b.length;
  });
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(Buffer.from(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** A stream object's body: its dictionary entries and data. */
export function pdfStream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`), data, Buffer.from('\nendstream')]);
}

const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
// (7 points, so the sentence fits on the page's width)
const PAGE_CONTENT = `BT /F1 7 Tf 36 720 Td (${SAMPLE_SENTENCE}) Tj ET`;

/** A one-page PDF (catalog 1, pages 2, page 3, content 4, font 5) with the given content stream object. */
function onePagePdf(content: Buffer, extra: (string | Buffer)[] = [], pageExtra = ''): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>${pageExtra} >>`,
    content,
    HELVETICA,
    ...extra,
  ]);
}

/** A hand-written one-page PDF with a text layer: the baseline the bombs below are made from. */
export function plainRawPdf(): Buffer {
  return onePagePdf(pdfStream('', Buffer.from(PAGE_CONTENT)));
}

/**
 * A page-tree bomb: `levels` nested page-tree nodes, each listing the node
 * below `fanout` times, so a file of about a kilobyte claims fanout^levels
 * pages (all the same page).
 */
export function pageTreeBombPdf(levels: number, fanout: number): Buffer {
  // 1 catalog, 2 font, 3 content, 4 the page, 5.. the tree nodes, the root last
  const objects: (string | Buffer)[] = ['', HELVETICA, pdfStream('', Buffer.from(PAGE_CONTENT)), ''];
  let child = 4;
  let count = 1;
  for (let l = 0; l < levels; l++) {
    count *= fanout;
    objects.push(`<< /Type /Pages /Kids [${Array(fanout).fill(`${child} 0 R`).join(' ')}] /Count ${count} >>`);
    child = objects.length;
  }
  const root = objects.length;
  objects[0] = `<< /Type /Catalog /Pages ${root} 0 R >>`;
  objects[3] = `<< /Type /Page /Parent ${root} 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 2 0 R >> >> >>`;
  return rawPdf(objects);
}

/** `length` bytes of `byte`, deflated (zlib format) without ever holding them: 1 GiB of blanks is about 4.5 MB. */
export function deflatedRun(length: number, byte = 0x20, prefix = Buffer.alloc(0), suffix = Buffer.alloc(0)): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const deflate = zlib.createDeflate({ level: 1 });
    const chunks: Buffer[] = [];
    deflate.on('data', (c: Buffer) => chunks.push(c));
    deflate.on('end', () => resolve(Buffer.concat(chunks)));
    deflate.on('error', reject);
    const block = Buffer.alloc(Math.min(length, 1 << 20), byte);
    let left = length;
    deflate.write(prefix);
    const write = () => {
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        if (!deflate.write(n === block.length ? block : block.subarray(0, n))) {
          deflate.once('drain', write);
          return;
        }
      }
      deflate.end(suffix);
    };
    write();
  });
}

/**
 * A compression bomb in a page's content: the page's text, then `unpacked`
 * bytes of blanks, deflated twice (a filter chain of two FlateDecode), so
 * 1 GiB of content fits in a file of about 15 kB.
 */
export async function flateBombPdf(unpacked: number): Promise<Buffer> {
  const inner = await deflatedRun(unpacked, 0x20, Buffer.from(`${PAGE_CONTENT}\n`), Buffer.from(`\n${PAGE_CONTENT}`));
  return onePagePdf(pdfStream('/Filter [/FlateDecode /FlateDecode]', zlib.deflateSync(inner, { level: 9 })));
}

/**
 * A compressed object stream (where a PDF 1.5 file keeps its small objects)
 * holding the page tree, behind `unpacked` bytes of blanks: to find the pages
 * a reader must unpack it all. Found through a cross-reference stream.
 */
export async function objectStreamBombPdf(unpacked: number): Promise<Buffer> {
  const pagesObject = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
  const header = Buffer.from(`7 ${unpacked}\n`);
  const data = await deflatedRun(unpacked, 0x20, header, Buffer.from(pagesObject));
  const objects: (string | Buffer)[] = [
    '<< /Type /Catalog /Pages 7 0 R >>',
    '', // 2: unused
    '<< /Type /Page /Parent 7 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    pdfStream('', Buffer.from(PAGE_CONTENT)),
    HELVETICA,
    pdfStream(`/Type /ObjStm /N 1 /First ${header.length} /Filter /FlateDecode`, data),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), typeof body === 'string' ? Buffer.from(body || 'null', 'latin1') : body, Buffer.from('\nendobj\n')]);
    parts.push(b);
    length += b.length;
  });
  // cross-reference stream rows: type (1 byte), offset or object stream number (4), generation or index (2)
  const row = (type: number, field: number, index: number) => {
    const r = Buffer.alloc(7);
    r.writeUInt8(type, 0);
    r.writeUInt32BE(field, 1);
    r.writeUInt16BE(index, 5);
    return r;
  };
  const xrefAt = length;
  const rows = Buffer.concat([row(0, 0, 65535), ...offsets.map((o) => row(1, o, 0)), row(2, 6, 0), row(1, xrefAt, 0)]);
  parts.push(Buffer.from('8 0 obj\n'), pdfStream('/Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R', rows), Buffer.from(`\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** A page whose dictionary nests `depth` dictionaries, and whose content nests `depth` arrays. */
export function deepNestingPdf(depth: number): Buffer {
  const content = Buffer.from(`${PAGE_CONTENT}\n${'['.repeat(depth)}${']'.repeat(depth)} pop`);
  return onePagePdf(pdfStream('', content), [], ` /Deep ${'<< /A '.repeat(depth)}1${' >>'.repeat(depth)}`);
}

/**
 * A ZIP written entry by entry, with the sizes its headers declare given
 * separately from the data: a zip bomb can declare a few bytes and hold a
 * gigabyte. `deflated` entries hold raw DEFLATE data (no zlib header).
 */
export function rawZip(entries: { name: string; data: Buffer; deflated: boolean; crc: number; size: number; declaredSize?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const declared = e.declaredSize ?? e.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.deflated ? 8 : 0, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.deflated ? 8 : 0, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const PACKAGE_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

/**
 * A DOCX whose document.xml holds `unpacked` bytes of blanks but whose ZIP
 * headers declare it to be a few hundred bytes: a zip bomb that lies to a
 * guard reading only the declared sizes.
 */
export async function lyingZipBombDocx(unpacked: number): Promise<Buffer> {
  const head = Buffer.from(wordXml(['The Supplier shall notify the Customer.']).replace('</w:body>', ''));
  const tail = Buffer.from('</w:body></w:document>');
  const zlibData = await deflatedRun(unpacked, 0x20, head, tail);
  let crc = zlib.crc32(head);
  const block = Buffer.alloc(1 << 20, 0x20);
  for (let left = unpacked; left > 0; left -= block.length) crc = zlib.crc32(left >= block.length ? block : block.subarray(0, left), crc);
  crc = zlib.crc32(tail, crc);
  const stored = (name: string, text: string) => {
    const data = Buffer.from(text);
    return { name, data, deflated: false, crc: zlib.crc32(data), size: data.length };
  };
  return rawZip([
    stored('[Content_Types].xml', CONTENT_TYPES),
    stored('_rels/.rels', PACKAGE_RELS),
    // zlib format minus its 2-byte header and 4-byte checksum is raw DEFLATE
    { name: 'word/document.xml', data: zlibData.subarray(2, zlibData.length - 4), deflated: true, crc, size: head.length + unpacked + tail.length, declaredSize: 300 },
  ]);
}

/**
 * A DOCX full of references to things outside it, all pointing at `baseUrl`
 * (and one at a local `filePath`): a linked (not embedded) image, an attached
 * template, an external sub-document and alternative chunk, a linked OLE
 * object and a hyperlink. A reader must not fetch any of them.
 */
export function externalRefsDocx(baseUrl: string, filePath: string): Promise<Buffer> {
  const ns =
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"';
  const image = (rid: string) =>
    `<w:r><w:drawing><wp:inline><wp:extent cx="100" cy="100"/><wp:docPr id="1" name="logo"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="${rid}"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`;
  const body = [
    `<w:p><w:r><w:t>${SAMPLE_SENTENCE}</w:t></w:r></w:p>`,
    `<w:p>${image('rIdImg')}${image('rIdFile')}</w:p>`,
    '<w:p><w:hyperlink r:id="rIdLink"><w:r><w:t>Security policy</w:t></w:r></w:hyperlink></w:p>',
    '<w:p><w:r><w:object><v:shape id="o1"/><o:OLEObject Type="Link" ProgID="Excel.Sheet.12" ShapeID="o1" r:id="rIdOle"><o:LinkType>EnhancedMetaFile</o:LinkType></o:OLEObject></w:object></w:r></w:p>',
    '<w:altChunk r:id="rIdChunk"/>',
    '<w:p><w:subDoc r:id="rIdSub"/></w:p>',
  ].join('');
  const rel = (id: string, type: string, target: string) =>
    `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}" TargetMode="External"/>`;
  const rels = [
    rel('rIdImg', 'image', `${baseUrl}/logo.png`),
    rel('rIdFile', 'image', `file://${filePath}`),
    rel('rIdLink', 'hyperlink', `${baseUrl}/policy`),
    rel('rIdOle', 'oleObject', `${baseUrl}/sheet.xlsx`),
    rel('rIdChunk', 'aFChunk', `${baseUrl}/chunk.html`),
    rel('rIdSub', 'subDocument', `${baseUrl}/sub.docx`),
  ].join('');
  return docxBytes(`<?xml version="1.0" encoding="UTF-8"?><w:document ${ns}><w:body>${body}</w:body></w:document>`, {
    'word/_rels/document.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    'word/settings.xml': `<?xml version="1.0" encoding="UTF-8"?><w:settings ${ns}><w:attachedTemplate r:id="rIdTpl"/></w:settings>`,
    'word/_rels/settings.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel('rIdTpl', 'attachedTemplate', `${baseUrl}/template.dotx`)}</Relationships>`,
  });
}
