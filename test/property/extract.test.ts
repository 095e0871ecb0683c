import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { isAppError } from '../../src/errors';
import { extractClauses } from '../../src/extract';
import { ingest, IngestCodes, type Page, type TextDocument } from '../../src/ingest';
import { rebuildPdfText } from '../../src/ingest/pdf-layout';
import { textToDocument } from '../../src/ingest/text-adapter';
import { projectRuleset } from '../helpers/ruleset';
import { anyText, legalText, text } from './arbitraries';

/**
 * The whole reading of a text document, on any string: it never throws, and
 * every clause it finds is evidence a user can check, `text.slice(start, end)`
 * on the page it names. Then the same for any bytes handed to ingest.
 */
const ruleset = projectRuleset();
const limits = { maxFileBytes: 50 * 1024 * 1024, maxUnpackedBytes: 64 * 1024 * 1024 };

/** Pages numbered from 1, back to back, covering the whole text. */
function expectPagesCover(doc: Pick<TextDocument, 'text' | 'pages'>): void {
  const { pages } = doc;
  expect(pages.length).toBeGreaterThan(0);
  pages.forEach((p: Page, i) => {
    expect(p.number).toBe(i + 1);
    expect(p.start).toBeLessThanOrEqual(p.end);
    if (i > 0) expect(p.start).toBeGreaterThanOrEqual(pages[i - 1].end);
  });
  expect(pages[0].start).toBe(0);
  expect(pages[pages.length - 1].end).toBe(doc.text.length);
}

function expectEvidence(doc: TextDocument): void {
  const clauses = extractClauses(doc, ruleset);
  for (const c of clauses) {
    expect(c.start).toBeGreaterThanOrEqual(0);
    expect(c.end).toBeGreaterThan(c.start);
    expect(c.end).toBeLessThanOrEqual(doc.text.length);
    expect(doc.text.slice(c.start, c.end)).toBe(c.text);
    const page = doc.pages.find((p) => p.number === c.page);
    expect(page).toBeDefined();
    expect(c.start >= page!.start && c.start <= page!.end).toBe(true);
    expect(c.confidence > 0 && c.confidence <= 1).toBe(true);
    // the values are plain data: they survive JSON (the database's jsonb) unchanged
    expect(JSON.parse(JSON.stringify(c.fields))).toEqual(c.fields);
  }
}

test('any text: no throw, and every clause is the text between its offsets, on its page', () => {
  fc.assert(
    fc.property(text, (s) => {
      const doc = textToDocument(s);
      expectPagesCover(doc);
      expectEvidence(doc);
    }),
    { numRuns: 300 },
  );
});

test('contract-like text cut into pages by form feeds: clauses carry the page they start on', () => {
  fc.assert(
    fc.property(fc.array(legalText.map((t) => t.replace(/\f/g, ' ')), { minLength: 1, maxLength: 6 }), (pages) => {
      const doc = textToDocument(pages.join('\f'));
      expect(doc.pages).toHaveLength(pages.length);
      expectPagesCover(doc);
      expectEvidence(doc);
    }),
    { numRuns: 150 },
  );
});

test('the text of a real contract with any text spliced into it still gives exact evidence', () => {
  const contract = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'contracts', 'saas-dpa-lumen.txt'), 'utf8');
  fc.assert(
    fc.property(text, fc.nat(), (insert, at) => {
      const cut = at % (contract.length + 1);
      const doc = textToDocument(contract.slice(0, cut) + insert + contract.slice(cut));
      expectEvidence(doc);
    }),
    { numRuns: 40 },
  );
});

test('PDF pages rebuilt from any lines are numbered from 1, back to back, covering the text', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(anyText, legalText), { maxLength: 8 }), (pages) => {
      const rebuilt = rebuildPdfText(pages);
      expect(rebuilt.pages).toHaveLength(pages.length);
      if (pages.length > 0) expectPagesCover(rebuilt);
      expectEvidence({ format: 'pdf', ...rebuilt });
    }),
    { numRuns: 200 },
  );
});

describe('any bytes given to ingest', () => {
  const codes = Object.keys(IngestCodes);
  /** A document with consistent pages, or a refusal with one of the documented codes; nothing else. */
  async function expectReadOrRefused(bytes: Uint8Array): Promise<void> {
    let doc: TextDocument;
    try {
      doc = await ingest(Buffer.from(bytes), limits);
    } catch (err) {
      if (!isAppError(err)) throw err;
      expect(codes).toContain(err.code);
      expect(err.detail.length).toBeGreaterThan(10);
      return;
    }
    expectPagesCover(doc);
    expectEvidence(doc);
  }

  test('random bytes, and random bytes behind each format’s signature', async () => {
    const prefixes = ['', '%PDF-1.7\n', 'PK\u0003\u0004', '\uFEFF', '\u00ff\u00fe'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 2000 }), async (prefix, body) => {
        await expectReadOrRefused(Buffer.concat([Buffer.from(prefix, 'latin1'), body]));
      }),
      { numRuns: 150 },
    );
  });

  const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'contracts', name));
  /** A copy cut short and/or with bytes overwritten at random places. */
  const damaged = (original: Buffer) =>
    fc
      .tuple(fc.nat({ max: original.length }), fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.nat({ max: 255 })), { maxLength: 8 }))
      .map(([keep, writes]) => {
        const copy = Buffer.from(original.subarray(0, Math.max(1, keep)));
        for (const [at, byte] of writes) if (at < copy.length) copy[at] = byte;
        return copy;
      });

  test('a real PDF cut short or with bytes overwritten', async () => {
    await fc.assert(fc.asyncProperty(damaged(fixture('saas-dpa-lumen.pdf')), expectReadOrRefused), { numRuns: 40 });
  }, 60_000);

  test('a real DOCX cut short or with bytes overwritten', async () => {
    await fc.assert(fc.asyncProperty(damaged(fixture('saas-dpa-lumen.docx')), expectReadOrRefused), { numRuns: 40 });
  }, 60_000);
});
