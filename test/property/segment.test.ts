import fc from 'fast-check';
import { segment } from '../../src/extract/segment';
import { MAX_SENTENCE_CHARS, splitSentences } from '../../src/extract/sentences';
import { legalText, text } from './arbitraries';

/**
 * The segmenter cuts a document into the units rules read. Whatever the text,
 * every unit, lead-in and heading is a non-empty span of the text itself, in
 * reading order, and no word of the text falls between sentences.
 */
const RUNS = { numRuns: 500 };
const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\u00a0' || c === '\uFEFF';

function expectSpan(s: string, span: { start: number; end: number }): void {
  expect(Number.isInteger(span.start) && Number.isInteger(span.end)).toBe(true);
  expect(span.start).toBeGreaterThanOrEqual(0);
  expect(span.end).toBeGreaterThan(span.start);
  expect(span.end).toBeLessThanOrEqual(s.length);
}

test('units, lead-ins and headings are spans of the text, in order', () => {
  fc.assert(
    fc.property(text, (s) => {
      let last = 0;
      for (const u of segment(s)) {
        expectSpan(s, u);
        expect(u.start).toBeGreaterThanOrEqual(last);
        last = u.end;
        for (const lead of u.leadIn) {
          expectSpan(s, lead);
          expect(lead.end).toBeLessThanOrEqual(u.start);
        }
        if (u.headingSpan) {
          expectSpan(s, u.headingSpan);
          expect(u.headingSpan.start).toBeLessThanOrEqual(u.start);
          expect(u.heading).not.toBeNull();
        }
      }
    }),
    RUNS,
  );
});

test('sentences cover every character that is not white space, and nothing twice', () => {
  fc.assert(
    fc.property(text, (s) => {
      const spans = splitSentences(s, 0, s.length);
      const covered = new Uint8Array(s.length);
      let last = 0;
      for (const sp of spans) {
        expectSpan(s, sp);
        expect(sp.start).toBeGreaterThanOrEqual(last);
        last = sp.end;
        covered.fill(1, sp.start, sp.end);
        // trimmed: a sentence starts and ends on a character that is not white space
        expect(isSpace(s[sp.start]) || isSpace(s[sp.end - 1])).toBe(false);
      }
      for (let i = 0; i < s.length; i++) if (!isSpace(s[i])) expect([i, covered[i]]).toEqual([i, 1]);
    }),
    RUNS,
  );
});

test('a run of text far longer than any sentence is read in pieces no longer than the limit, losing nothing', () => {
  const longRun = fc
    .tuple(legalText, fc.integer({ min: MAX_SENTENCE_CHARS + 1, max: MAX_SENTENCE_CHARS * 3 }), fc.constantFrom('x', 'one ', 'a, ', ' ', '9', '\ud83d\ude00', ';'))
    .map(([prefix, length, unit]) => (prefix + unit.repeat(Math.ceil(length / unit.length))).slice(0, prefix.length + length));
  fc.assert(
    fc.property(longRun, (s) => {
      const spans = splitSentences(s, 0, s.length);
      for (const sp of spans) {
        expectSpan(s, sp);
        expect(sp.end - sp.start).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
        // a piece never ends between the two halves of a surrogate pair
        const code = s.charCodeAt(sp.end - 1);
        expect(code >= 0xd800 && code <= 0xdbff && sp.end < s.length).toBe(false);
      }
      const nonSpace = (t: string) => [...t].filter((c) => !isSpace(c)).join('');
      expect(spans.map((sp) => nonSpace(s.slice(sp.start, sp.end))).join('')).toBe(nonSpace(s));
    }),
    { numRuns: 30 },
  );
});
