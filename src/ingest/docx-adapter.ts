import JSZip from 'jszip';
import mammoth from 'mammoth';
import yauzl from 'yauzl';
import { ingestError } from './ingest-errors';
import { fallbackLabel, numberingLabels, parseNumbering } from './docx-numbering';
import { tableRowLine } from './pdf-layout';
import { splitPagesAtFormFeeds } from './text-adapter';
import { type TextDocument } from './text-document';

/** The parts of mammoth's document model this reader walks. */
interface DocElement {
  type: string;
  children?: DocElement[];
  value?: string;
  breakType?: string;
  numbering?: { isOrdered: boolean; level: string } | null;
}

interface ZipEntryInfo {
  name: string;
  size: number;
}

export interface DocxLimits {
  /** Largest total unpacked size of the archive's XML parts, in bytes. */
  maxUnpackedBytes: number;
}

/** Reads the ZIP's central directory: names and declared unpacked sizes, without unpacking anything. */
function listZipEntries(bytes: Buffer): Promise<ZipEntryInfo[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('unreadable zip'));
      const entries: ZipEntryInfo[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        entries.push({ name: e.fileName, size: e.uncompressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/**
 * Unpacks the XML parts (what the reader will unpack), counting and keeping
 * nothing, and stops past `limit` bytes. The declared sizes checked first can
 * lie: a part that declares 300 bytes and holds a gigabyte of blanks cost the
 * reader 6 s and 570 MB per 300 MB before it noticed. yauzl checks each part
 * against its declared size as it goes.
 */
function unpackedXmlBytes(bytes: Buffer, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('unreadable zip'));
      let total = 0;
      const fail = (e: Error) => {
        zip.close();
        reject(e);
      };
      zip.on('entry', (e: yauzl.Entry) => {
        if (!/\.(xml|rels)$/i.test(e.fileName)) return zip.readEntry();
        zip.openReadStream(e, (openErr, stream) => {
          if (openErr || !stream) return fail(openErr ?? new Error(`cannot read ${e.fileName}`));
          stream.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > limit) {
              stream.destroy();
              zip.close();
              resolve(total);
            }
          });
          stream.on('error', (streamErr: Error) => fail(new Error(`${e.fileName}: ${streamErr.message}`, { cause: streamErr })));
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.on('end', () => resolve(total));
      zip.on('error', fail);
      zip.readEntry();
    });
  });
}

async function checkArchive(bytes: Buffer, limits: DocxLimits): Promise<void> {
  let entries: ZipEntryInfo[];
  try {
    entries = await listZipEntries(bytes);
  } catch (err) {
    throw ingestError('DOCX_CORRUPT', 'The file looks like a Word document (ZIP) but its archive is damaged or truncated.', err);
  }
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('word/document.xml')) {
    const kind = names.has('xl/workbook.xml') ? 'an Excel workbook' : names.has('ppt/presentation.xml') ? 'a PowerPoint deck' : 'a ZIP archive';
    throw ingestError('UNSUPPORTED_FORMAT', `The file is ${kind}, not a Word document, PDF or text file.`);
  }
  const xmlBytes = entries.filter((e) => /\.(xml|rels)$/i.test(e.name)).reduce((sum, e) => sum + e.size, 0);
  const allBytes = entries.reduce((sum, e) => sum + e.size, 0);
  if (xmlBytes > limits.maxUnpackedBytes || allBytes > limits.maxUnpackedBytes * 8) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    throw ingestError(
      'DOCX_TOO_LARGE_UNPACKED',
      `The Word document unpacks to ${mb(xmlBytes)} MiB of XML (${mb(allBytes)} MiB in all), over the limit of ${mb(limits.maxUnpackedBytes)} MiB: refused as a possible zip bomb.`,
    );
  }
  let unpacked: number;
  try {
    unpacked = await unpackedXmlBytes(bytes, limits.maxUnpackedBytes);
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    throw ingestError(
      'DOCX_CORRUPT',
      /too many bytes/.test(message)
        ? `The Word document's archive holds more data than it declares (${message}): refused as a possible zip bomb.`
        : `The Word document's archive is damaged (${message}).`,
      err,
    );
  }
  if (unpacked > limits.maxUnpackedBytes) {
    throw ingestError('DOCX_TOO_LARGE_UNPACKED', `The Word document's XML unpacks to more than its limit of ${(limits.maxUnpackedBytes / 1024 / 1024).toFixed(1)} MiB: refused as a possible zip bomb.`);
  }
}

async function readLabels(bytes: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const read = async (name: string) => (zip.file(name) ? await zip.file(name)!.async('string') : null);
  const [numbering, styles, document] = await Promise.all([read('word/numbering.xml'), read('word/styles.xml'), read('word/document.xml')]);
  if (!numbering || !document) return [];
  return numberingLabels(parseNumbering(numbering, styles), document);
}

async function readDocumentModel(bytes: Buffer): Promise<DocElement> {
  let captured: DocElement | null = null;
  await mammoth.convertToHtml(
    { buffer: bytes },
    {
      // Keep mammoth's reading of the document (fields, hyperlinks, tracked
      // changes, tables) but skip its HTML writer: the text is rendered below.
      transformDocument: (doc: DocElement) => {
        captured = doc;
        return { ...doc, children: [] };
      },
    },
  );
  if (!captured) throw new Error('mammoth returned no document');
  return captured;
}

type Piece = { kind: 'block'; text: string } | { kind: 'page' };

function renderDocument(doc: DocElement, labels: string[]): string {
  const numbered: DocElement[] = [];
  const collect = (el: DocElement) => {
    if (el.type === 'paragraph' && el.numbering) numbered.push(el);
    el.children?.forEach(collect);
  };
  collect(doc);
  const useLabels = labels.length === numbered.length;
  const fallbackCounters: number[] = [];
  const labelOf = new Map<DocElement, string>();
  numbered.forEach((p, i) => {
    if (useLabels) {
      labelOf.set(p, labels[i]);
      return;
    }
    const depth = Number(p.numbering!.level) || 0;
    fallbackCounters[depth] = (fallbackCounters[depth] ?? 0) + 1;
    fallbackCounters.length = depth + 1;
    labelOf.set(p, fallbackLabel(depth, fallbackCounters[depth], p.numbering!.isOrdered));
  });

  const pieces: Piece[] = [];
  const inline = (el: DocElement, out: string[], pageBreaks: number[]): void => {
    switch (el.type) {
      case 'text':
        out.push(el.value ?? '');
        return;
      case 'tab':
        out.push('\t');
        return;
      case 'break':
        if (el.breakType === 'page') pageBreaks.push(out.join('').length);
        else out.push(el.breakType === 'line' ? '\n' : ' ');
        return;
      case 'noteReference':
      case 'commentReference':
      case 'comment':
      case 'image':
        return;
      default:
        el.children?.forEach((c) => inline(c, out, pageBreaks));
    }
  };
  const cellText = (cell: DocElement): string =>
    (cell.children ?? [])
      .map((c) => (c.type === 'table' ? tableText(c) : paragraphText(c).text))
      .filter((t) => t.trim() !== '')
      .join(' ');
  const tableText = (table: DocElement): string =>
    (table.children ?? [])
      .filter((r) => r.type === 'tableRow')
      .map((row) => tableRowLine((row.children ?? []).map((cell) => cellText(cell))))
      .join('\n');
  const paragraphText = (p: DocElement): { text: string; pageBreaks: number[] } => {
    const out: string[] = [];
    const pageBreaks: number[] = [];
    inline(p, out, pageBreaks);
    const label = labelOf.get(p);
    let text = out.join('');
    if (label) {
      text = `${label} ${text.replace(/^\s+/, '')}`;
      for (let i = 0; i < pageBreaks.length; i++) pageBreaks[i] += label.length + 1;
    }
    return { text, pageBreaks };
  };
  const block = (el: DocElement): void => {
    if (el.type === 'paragraph') {
      const { text, pageBreaks } = paragraphText(el);
      let from = 0;
      for (const at of pageBreaks) {
        const part = text.slice(from, at);
        if (part.trim()) pieces.push({ kind: 'block', text: part.trim() });
        pieces.push({ kind: 'page' });
        from = at;
      }
      const rest = text.slice(from);
      if (rest.trim()) pieces.push({ kind: 'block', text: rest.replace(/[ \t]+$/gm, '').trim() });
    } else if (el.type === 'table') {
      const t = tableText(el);
      if (t.trim()) pieces.push({ kind: 'block', text: t });
    } else {
      el.children?.forEach(block);
    }
  };
  block(doc);

  let text = '';
  let pendingPage = false;
  for (const piece of pieces) {
    if (piece.kind === 'page') {
      pendingPage = text.length > 0;
      continue;
    }
    if (text.length > 0) text += pendingPage ? '\n\f\n' : '\n\n';
    pendingPage = false;
    text += piece.text;
  }
  return text;
}

export async function docxToDocument(bytes: Buffer, limits: DocxLimits): Promise<TextDocument> {
  await checkArchive(bytes, limits);
  let text: string;
  try {
    const [model, labels] = await Promise.all([readDocumentModel(bytes), readLabels(bytes)]);
    text = renderDocument(model, labels);
  } catch (err) {
    throw ingestError('DOCX_CORRUPT', `The Word document could not be read: ${(err as Error)?.message ?? String(err)}`, err);
  }
  if (text.replace(/\s/g, '').length === 0) {
    throw ingestError('EMPTY_FILE', 'The Word document contains no text.');
  }
  return { format: 'docx', text, pages: splitPagesAtFormFeeds(text) };
}
