import { analyseCap } from '../../src/extract/normalize/cap';
import { findDurations } from '../../src/extract/normalize/durations';
import { findLookbackMonths } from '../../src/extract/normalize/lookback';
import { findMoney } from '../../src/extract/normalize/money';
import { findMultiples } from '../../src/extract/normalize/multiples';
import { parseNumber } from '../../src/extract/normalize/numbers';

describe('numbers', () => {
  test.each([
    ['72', 72],
    ['seventy-two (72)', 72],
    ['seventy two', 72],
    ['72 (seventy-two)', 72],
    ['one hundred and twenty', 120],
    ['2,000,000', 2000000],
    ['thirty (30)', 30],
    ['99.95', 99.95],
  ])('%s is %d', (expr, value) => expect(parseNumber(expr)).toBe(value));

  test('words and digits together are not added up (compromise reads "thirty (30)" as 60)', () => {
    expect(parseNumber('thirty (30)')).toBe(30);
  });
});

describe('durations', () => {
  const first = (s: string) => {
    const d = findDurations(s)[0];
    return d ? [d.duration, d.unit] : null;
  };
  test.each([
    ['within seventy-two (72) hours', [72, 'hours']],
    ['within 5 Business Days', [5, 'business_days']],
    ['no later than ten (10) working days', [10, 'business_days']],
    ['a 48-hour window', [48, 'hours']],
    ['one (1) calendar month', [1, 'months']],
    ['thirty (30) calendar days', [30, 'days']],
    ['72h', [72, 'hours']],
    ['within a week', [1, 'weeks']],
    ['every Business Day', [1, 'business_days']],
    ['fifteen (15) minutes', [15, 'minutes']],
    ['six (6) years', [6, 'years']],
    ['twenty-four (24) hour period', [24, 'hours']],
  ])('%s', (s, expected) => expect(first(s)).toEqual(expected));

  test('"business hours" are hours, not business days', () => {
    expect(first('4 business hours')).toEqual([4, 'hours']);
  });

  test('offsets point at the expression', () => {
    const s = 'Supplier shall notify within 48 hours.';
    const d = findDurations(s)[0];
    expect(s.slice(d.start, d.end)).toBe('48 hours');
  });

  test('numbers that are not durations are not durations', () => {
    expect(findDurations('Section 12 of the Agreement and 3 copies')).toEqual([]);
  });
});

describe('money', () => {
  const first = (s: string) => {
    const m = findMoney(s)[0];
    return m ? [m.amount, m.currency] : null;
  };
  test.each([
    ['USD 2,000,000', [2000000, 'USD']],
    ['$5 million', [5000000, 'USD']],
    ['EUR 500k', [500000, 'EUR']],
    ['£1,000,000', [1000000, 'GBP']],
    ['€250,000', [250000, 'EUR']],
    ['A$2,000,000', [2000000, 'AUD']],
    ['AUD 2 million', [2000000, 'AUD']],
    ['CAD $500,000', [500000, 'CAD']],
    ['US$10,000,000', [10000000, 'USD']],
    ['five million dollars ($5,000,000)', [5000000, 'USD']],
    ['1,000,000 pounds sterling', [1000000, 'GBP']],
    ['$250k', [250000, 'USD']],
  ])('%s', (s, expected) => expect(first(s)).toEqual(expected));

  test('an amount stated in words and figures is one amount', () => {
    expect(findMoney('two million US dollars (US$2,000,000)')).toHaveLength(1);
  });
});

describe('multiples', () => {
  test.each([
    ['two times (2x) the fees', 2],
    ['2x the annual fees', 2],
    ['three (3) times the fees', 3],
    ['twice the amount', 2],
    ['one hundred and fifty per cent (150%) of the Charges', 1.5],
    ['200% of the fees', 2],
    ['one and a half times the fees', 1.5],
  ])('%s', (s, value) => expect(findMultiples(s)[0]?.multiple).toBe(value));
});

describe('look-back periods', () => {
  test.each([
    ['the fees paid in the twelve (12) months preceding the claim', 12],
    ['during the 12-month period immediately preceding the event giving rise to liability', 12],
    ['in the six (6) months prior to the incident', 6],
    ['fees paid in the preceding twelve months', 12],
    ['fees paid during the prior year', 12],
    ['the Charges paid in the Contract Year in which the claim arose', 12],
    ['the fees paid in the two (2) years before the claim', 24],
  ])('%s', (s, months) => expect(findLookbackMonths(s)).toBe(months));

  test('no look-back when none is stated', () => {
    expect(findLookbackMonths('the total fees paid under this Agreement')).toBeNull();
  });
});

describe('liability caps', () => {
  test('fees paid in a look-back window', () => {
    expect(analyseCap('shall not exceed the fees paid or payable by Customer in the twelve (12) months preceding the claim')).toEqual({
      kind: 'fees_multiple', multiple: 1, lookback_months: 12, amount: null, currency: null,
    });
  });
  test('a multiple of the fees', () => {
    expect(analyseCap('shall not exceed two times (2x) the fees paid in the prior 12 months')).toMatchObject({ kind: 'fees_multiple', multiple: 2, lookback_months: 12 });
  });
  test('a fixed amount', () => {
    expect(analyseCap('shall not exceed USD 5,000,000 in the aggregate')).toEqual({ kind: 'fixed_amount', multiple: null, lookback_months: null, amount: 5000000, currency: 'USD' });
  });
  test('the greater of an amount and the fees', () => {
    expect(analyseCap('the greater of (a) £1,000,000 and (b) 150% of the Charges paid in the preceding 12 months')).toEqual({
      kind: 'greater_of', multiple: 1.5, lookback_months: 12, amount: 1000000, currency: 'GBP',
    });
  });
  test('the lesser of', () => {
    expect(analyseCap('the lesser of (i) $1,000,000 or (ii) the amounts paid in the six (6) months before the claim')).toMatchObject({
      kind: 'lesser_of', amount: 1000000, multiple: 1, lookback_months: 6,
    });
  });
  test('a cap set out elsewhere', () => {
    expect(analyseCap('is subject to the limitations of liability set out in the Agreement').kind).toBe('defined_elsewhere');
  });
});
