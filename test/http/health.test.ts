import request from 'supertest';
import { bearer, harness } from './app-harness';

describe('probes and metrics', () => {
  it('/healthz answers while the process is up, even with the database and queue down', async () => {
    const h = await harness();
    h.store.down = true;
    h.jobs.up = false;
    const res = await request(h.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 when the database and the queue answer, 503 naming the one that does not', async () => {
    const h = await harness();
    const ready = await request(h.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'up', queue: 'up' } });

    h.jobs.up = false;
    const noQueue = await request(h.app).get('/readyz');
    expect(noQueue.status).toBe(503);
    expect(noQueue.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(noQueue.body).toMatchObject({ code: 'NOT_READY', checks: { database: 'up', queue: 'down' } });

    h.jobs.up = true;
    h.store.ping = () => Promise.reject(new Error('connection refused'));
    const noDb = await request(h.app).get('/readyz');
    expect(noDb.status).toBe(503);
    expect(noDb.body.checks).toEqual({ database: 'down', queue: 'up' });
  });

  it('/metrics gives requests by route template and status, durations and job counts', async () => {
    const h = await harness();
    await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal));
    await request(h.app).get('/api/v1/contracts/00000000-0000-4000-8000-000000000000').set(bearer(h.tokens.legal));
    await request(h.app).get('/api/v1/contracts/00000000-0000-4000-8000-000000000001').set(bearer(h.tokens.legal));
    await request(h.app).get('/no/such/route');
    const res = await request(h.app).get('/metrics').set(bearer(h.tokens.admin));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('pactwatch_http_requests_total{method="GET",route="/api/v1/contracts",status="200"} 1');
    expect(res.text).toContain('pactwatch_http_requests_total{method="GET",route="/api/v1/contracts/:id",status="404"} 2');
    expect(res.text).toContain('pactwatch_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(res.text).toMatch(/pactwatch_http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/api\/v1\/contracts",status="200"\} 1/);
    expect(res.text).toContain('pactwatch_jobs{queue="extract",state="waiting"} 0');
    expect(res.text).toContain('pactwatch_job_seconds_total{kind="extract"} 1.5');
    expect(res.text).toContain('pactwatch_jobs_finished_total{kind="extract"} 2');
  });

  it('/metrics still answers when the queue cannot be read', async () => {
    const h = await harness();
    h.jobs.up = false;
    const res = await request(h.app).get('/metrics').set(bearer(h.tokens.admin));
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('pactwatch_jobs{');
  });
});
