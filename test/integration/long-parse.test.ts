import request from 'supertest';
import { longPdf } from '../helpers/long-pdf';
import { startService, type Service } from './service-harness';

/**
 * A 300-page contract takes seconds to parse, and PDF parsing blocks whatever
 * thread it runs on. In embedded mode the API and the jobs share one process:
 * the API must keep answering while the parse runs.
 */
describe('embedded mode while a 300-page PDF is processed', () => {
  let svc: Service;
  beforeAll(async () => {
    svc = await startService({});
  }, 60_000);
  afterAll(() => svc.close());

  it('answers /healthz promptly throughout the parse', async () => {
    const analyst = await svc.token('analyst');
    const pdf = await longPdf(300);
    const res = await request(svc.app)
      .post('/api/v1/contracts')
      .set('Authorization', `Bearer ${analyst}`)
      .field('counterparty', 'Long Contract Co')
      .field('role', 'customer')
      .attach('file', pdf, 'long.pdf')
      .expect(202);

    const slowest: number[] = [];
    let probesWhileProcessing = 0;
    for (;;) {
      const contract = await svc.store.getContract(res.body.id);
      if (contract?.status === 'done' || contract?.status === 'failed') break;
      const t0 = Date.now();
      await request(svc.app).get('/healthz').expect(200);
      slowest.push(Date.now() - t0);
      if (contract?.status === 'processing') probesWhileProcessing++;
      await new Promise((r) => setTimeout(r, 50));
    }
    const done = await svc.store.getContract(res.body.id);
    expect(done?.status).toBe('done');
    expect(done?.pageCount).toBeGreaterThanOrEqual(300);
    // the parse took long enough to be probed many times, and no probe waited on it
    expect(probesWhileProcessing).toBeGreaterThan(10);
    expect(Math.max(...slowest)).toBeLessThan(1000);
  }, 120_000);
});
