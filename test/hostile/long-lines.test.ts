import { findDurations } from '../../src/extract/normalize/durations';
import { findMoney } from '../../src/extract/normalize/money';
import { findMultiples } from '../../src/extract/normalize/multiples';
import { findLookbackMonths } from '../../src/extract/normalize/lookback';
import { ValueMarks } from '../../src/extract/normalize/marks';
import { segment } from '../../src/extract/segment';
import { SAMPLE_SENTENCE, singleLineText } from '../helpers/bad-files';
import { readInChild } from './read-in-child';

/**
 * Text files of 5 MB on one line, read in a process of their own: each is
 * read within a generous time and memory limit. Before the fixes that came
 * with these tests, a number followed by a long run of blanks, a long run of
 * digits or of number words made the value scans quadratic (200 kB of them
 * did not finish in a minute), and 5 MB of clause sentences took 58 s.
 */
const MB5 = 5 * 1024 * 1024;
const TIME_LIMIT_MS = 45_000;
const MEMORY_LIMIT_MB = 500;

const lines: [string, () => Buffer, (clauses: number) => boolean][] = [
  ['breach-notice sentences, 5 MB of them', () => singleLineText(MB5), (n) => n > 30_000],
  ['list items run together with semicolons and no full stop', () => singleLineText(MB5, '(a) the Supplier shall notify the Customer of any Security Incident within 72 hours; '), (n) => n > 0],
  ['digits', () => singleLineText(MB5, '1234567890'), (n) => n === 0],
  ['a number, 5 MB of blanks, a unit, then a clause', () => Buffer.concat([Buffer.from('Invoices are payable within 72'), Buffer.alloc(MB5, 0x20), Buffer.from(`hours. ${SAMPLE_SENTENCE}`)]), (n) => n === 1],
  ['number words', () => singleLineText(MB5, 'one '), (n) => n === 0],
];

test.each(lines)('%s', async (_name, make, clausesOk) => {
  const report = await readInChild(make());
  expect(report.status).toBe('done');
  expect(clausesOk(report.clauses ?? -1)).toBe(true);
  expect(report.ms).toBeLessThan(TIME_LIMIT_MS);
  expect(report.rssGrowthMb).toBeLessThan(MEMORY_LIMIT_MB);
}, 120_000);

/**
 * The inputs that were quadratic, at 200 kB, in this process: each scan ends
 * well inside a limit the old patterns passed a hundred times over (at 20 kB
 * they took 0.5 to 1.5 s each), and what the text states is still read.
 */
describe('runs that made the value scans quadratic', () => {
  const N = 200_000;
  const within = (ms: number, fn: () => void) => {
    const t0 = performance.now();
    fn();
    expect(performance.now() - t0).toBeLessThan(ms);
  };
  const scans = (s: string) => {
    findDurations(s);
    findMoney(s);
    findMultiples(s);
    findLookbackMonths(s);
    new ValueMarks(s);
    segment(s);
  };

  test('a number followed by a long run of blanks and no unit; with a unit it is still a duration', () => {
    within(5_000, () => scans(`72${' '.repeat(N)}x`));
    const s = `72${' '.repeat(N)}hours`;
    expect(findDurations(s).map((d) => [d.duration, d.unit, d.start, d.end])).toEqual([[72, 'hours', 0, s.length]]);
  });

  test('a long run of digits', () => {
    within(5_000, () => scans('1'.repeat(N)));
    // (a number of 200,000 digits is no number: it is skipped, and what follows is read)
    expect(findDurations(`${'1'.repeat(N)} days or 30 days`).map((d) => [d.duration, d.unit])).toEqual([[30, 'days']]);
  });

  test('a long run of dotted digits and of number words', () => {
    within(5_000, () => scans('1.'.repeat(N / 2)));
    within(5_000, () => scans('one '.repeat(N / 4)));
    within(5_000, () => scans('one-'.repeat(N / 4)));
  });

  test('a look-back period followed by a long run of blanks', () => {
    within(5_000, () => findLookbackMonths(`fees paid in the 12 months${' '.repeat(N)}x`));
    expect(findLookbackMonths(`fees paid in the 12 months${' '.repeat(N)}preceding the claim`)).toBe(12);
  });
});
