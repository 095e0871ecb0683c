import fc from 'fast-check';
import { analyseCap } from '../../src/extract/normalize/cap';
import { findDurations } from '../../src/extract/normalize/durations';
import { findLookbackMonths } from '../../src/extract/normalize/lookback';
import { DURATION_CLOSE, DURATION_OPEN, markValues, MONEY_CLOSE, MONEY_OPEN, ValueMarks } from '../../src/extract/normalize/marks';
import { findMoney } from '../../src/extract/normalize/money';
import { findMultiples } from '../../src/extract/normalize/multiples';
import { parseNumber } from '../../src/extract/normalize/numbers';
import { numberInWords, text } from './arbitraries';

/**
 * The normalizers read numbers, durations, amounts and multiples out of any
 * text a document holds. Whatever the text, they return values a contract
 * could state (finite, positive, a known unit or currency) at offsets that
 * point into the text, and they read back what a drafter writes.
 */
const RUNS = { numRuns: 400 };
const UNITS = new Set(['seconds', 'minutes', 'hours', 'days', 'business_days', 'weeks', 'months', 'years']);

/** Offsets inside the text, in order, not overlapping. */
function expectSpansIn(s: string, spans: { start: number; end: number }[]): void {
  let last = 0;
  for (const sp of spans) {
    expect(Number.isInteger(sp.start) && Number.isInteger(sp.end)).toBe(true);
    expect(sp.start).toBeGreaterThanOrEqual(last);
    expect(sp.end).toBeGreaterThan(sp.start);
    expect(sp.end).toBeLessThanOrEqual(s.length);
    last = sp.end;
  }
}

test('durations: any text gives positive finite amounts in known units, at offsets inside the text', () => {
  fc.assert(
    fc.property(text, (s) => {
      const found = findDurations(s);
      expectSpansIn(s, found);
      for (const d of found) {
        expect(Number.isFinite(d.duration) && d.duration > 0).toBe(true);
        expect(UNITS.has(d.unit)).toBe(true);
      }
    }),
    RUNS,
  );
});

test('money: any text gives positive finite amounts in ISO currencies, at offsets inside the text', () => {
  fc.assert(
    fc.property(text, (s) => {
      const found = findMoney(s);
      expectSpansIn(s, found);
      for (const m of found) {
        expect(Number.isFinite(m.amount) && m.amount > 0).toBe(true);
        expect(m.currency).toMatch(/^[A-Z]{3}$/);
      }
    }),
    RUNS,
  );
});

test('multiples, look-back windows and cap shapes: finite values or nothing, never a throw', () => {
  const kinds = [null, 'fees_multiple', 'fixed_amount', 'greater_of', 'lesser_of', 'defined_elsewhere', 'insurance_limit'];
  fc.assert(
    fc.property(text, (s) => {
      const multiples = findMultiples(s);
      expectSpansIn(s, multiples);
      for (const m of multiples) expect(Number.isFinite(m.multiple) && m.multiple > 0).toBe(true);
      const months = findLookbackMonths(s);
      expect(months === null || (Number.isFinite(months) && months >= 0)).toBe(true);
      const cap = analyseCap(s);
      expect(kinds).toContain(cap.kind);
      for (const v of [cap.multiple, cap.lookback_months, cap.amount]) expect(v === null || Number.isFinite(v)).toBe(true);
    }),
    RUNS,
  );
});

test('the value markers wrap values and change nothing else', () => {
  const markers = new RegExp(`[${DURATION_OPEN}${DURATION_CLOSE}${MONEY_OPEN}${MONEY_CLOSE}]`, 'g');
  // the text's own marker characters are blanked, so a marker in the output is always one of ours
  const blanked = (s: string) => s.replace(markers, ' ');
  fc.assert(
    fc.property(text, fc.nat(), fc.nat(), (s, a, b) => {
      expect(markValues(s).replace(markers, '')).toBe(blanked(s));
      const start = s.length ? a % (s.length + 1) : 0;
      const end = start + (s.length - start ? b % (s.length - start + 1) : 0);
      expect(new ValueMarks(s).marked(start, end).replace(markers, '')).toBe(blanked(s.slice(start, end)));
    }),
    RUNS,
  );
});

describe('what drafters write is read back', () => {
  const amount = fc.integer({ min: 1, max: 999_999 });
  const unit = fc.constantFrom(['hours', 'hours'], ['days', 'days'], ['Business Days', 'business_days'], ['calendar months', 'months'], ['weeks', 'weeks'], ['years', 'years']);

  test('a number in digits, in words, and in both', () => {
    fc.assert(
      fc.property(amount, (n) => {
        expect(parseNumber(String(n))).toBe(n);
        expect(parseNumber(n.toLocaleString('en-US'))).toBe(n);
        expect(parseNumber(`${numberInWords(n)} (${n})`)).toBe(n);
        expect(parseNumber(`${n} (${numberInWords(n)})`)).toBe(n);
      }),
      RUNS,
    );
  });

  test('numbers in words alone up to a thousand', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (n) => expect(parseNumber(numberInWords(n))).toBe(n)),
      { numRuns: 200 },
    );
  });

  test('a duration in a sentence, at its exact place', () => {
    fc.assert(
      fc.property(amount, unit, fc.boolean(), (n, [u, expected], inWords) => {
        const expr = inWords ? `${numberInWords(n)} (${n}) ${u}` : `${n} ${u}`;
        const s = `Supplier shall notify Customer within ${expr} after becoming aware of it.`;
        const found = findDurations(s);
        expect(found.map((d) => [d.duration, d.unit])).toEqual([[n, expected]]);
        expect(s.slice(found[0].start, found[0].end)).toBe(expr);
      }),
      RUNS,
    );
  });

  test('an amount of money with its currency, at its exact place', () => {
    const currency = fc.constantFrom(['USD ', '', 'USD'], ['$', '', 'USD'], ['€', '', 'EUR'], ['£', '', 'GBP'], ['', ' Canadian dollars', 'CAD'], ['CHF ', '', 'CHF']);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 12 }), currency, (n, [before, after, code]) => {
        const expr = `${before}${n.toLocaleString('en-US')}${after}`;
        const s = `Liability shall not exceed ${expr} in aggregate.`;
        const found = findMoney(s);
        expect(found.map((m) => [m.amount, m.currency])).toEqual([[n, code]]);
        expect(s.slice(found[0].start, found[0].end)).toBe(expr);
      }),
      RUNS,
    );
  });
});
