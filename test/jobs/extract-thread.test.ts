import { AppError } from '../../src/errors';
import { longPdf } from '../helpers/long-pdf';
import { createExtractPool, fixtureBytes, testConfig } from './job-helpers';

const config = testConfig();
const pool = createExtractPool(config, { size: 1 });
afterAll(() => pool.close());

describe('extraction threads', () => {
  it('keeps the event loop answering while a 300-page PDF is parsed', async () => {
    const big = await longPdf(300);
    // the thread has loaded its rules before the clock starts
    await pool.extract(fixtureBytes('saas-dpa-lumen.txt'));

    let last = performance.now();
    let longestGap = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 10);
    const started = performance.now();
    const result = await pool.extract(big);
    const took = performance.now() - started;
    clearInterval(timer);

    expect(result.pages.length).toBeGreaterThanOrEqual(300);
    expect(result.clauses.length).toBeGreaterThan(100);
    // the parse takes seconds; on this thread it would have stopped every tick for all of them
    expect(took).toBeGreaterThan(1000);
    expect(ticks).toBeGreaterThan(took / 50);
    expect(longestGap).toBeLessThan(500);
  }, 120_000);

  it('hands back an unreadable document as an AppError with its code', async () => {
    const err = await pool.extract(Buffer.from('%PDF-1.4\nnot really')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'PDF_CORRUPT', status: 422 });
  });

  it('leaves the caller its buffer', async () => {
    const bytes = fixtureBytes('saas-dpa-lumen.txt');
    const before = bytes.length;
    await pool.extract(bytes);
    expect(bytes.length).toBe(before);
    expect(bytes.toString('utf8', 0, 20)).toBe(fixtureBytes('saas-dpa-lumen.txt').toString('utf8', 0, 20));
  });
});
