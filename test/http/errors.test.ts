import request from 'supertest';
import { AppError } from '../../src/errors';
import { bearer, harness } from './app-harness';

const isProblem = (res: request.Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
};

describe('errors and hostile input', () => {
  it('answers an unknown route with a 404 problem and no stack', async () => {
    const { app } = await harness();
    for (const path of ['/api/v1/nothing-here', '/api/v2/contracts', '/no-such-page']) {
      const res = await request(app).get(path);
      isProblem(res, 404, 'NOT_FOUND');
      expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
      expect(Object.keys(res.body).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
    }
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const h = await harness();
    const { contract } = await h.store.createContract(
      { counterparty: 'X', ourRole: 'customer', title: null, kind: null, fileName: 'x.txt', mediaType: 'text/plain', bytes: Buffer.from('x'), sha256: 'b'.repeat(64) },
      'test',
    );
    const res = await request(h.app).post(`/api/v1/contracts/${contract.id}/reprocess`).set(bearer(h.tokens.admin)).set('Content-Type', 'application/json').send('{"force": tru');
    isProblem(res, 400, 'MALFORMED_JSON');
    expect(res.text).not.toContain('Unexpected');
  });

  it('answers SQL-looking and path-looking values as plain data', async () => {
    const h = await harness();
    const hostile = ["' OR 1=1 --", "'; DROP TABLE contracts; --", '../../../../etc/passwd', '%00', '$where', '<script>alert(1)</script>'];
    for (const value of hostile) {
      const contracts = await request(h.app).get('/api/v1/contracts').query({ counterparty: value }).set(bearer(h.tokens.legal));
      expect([value, contracts.status, contracts.body.total]).toEqual([value, 200, 0]);
      const obligations = await request(h.app).get('/api/v1/obligations').query({ q: value, counterparty: value }).set(bearer(h.tokens.legal));
      expect([value, obligations.status, obligations.body.total]).toEqual([value, 200, 0]);
      const cps = await request(h.app).get('/api/v1/counterparties').query({ q: value }).set(bearer(h.tokens.legal));
      expect([value, cps.status]).toEqual([value, 200]);
    }
    const code = await request(h.app).get('/api/v1/obligations').query({ action: "x' OR '1'='1" }).set(bearer(h.tokens.legal));
    isProblem(code, 400, 'VALIDATION_FAILED');
    expect(code.body.detail).toContain('query.action');
    for (const path of ['/api/v1/contracts/..%2F..%2Fetc%2Fpasswd/file', "/api/v1/contracts/1'%20OR%20'1'='1", '/api/v1/contracts/%2e%2e/file']) {
      const res = await request(h.app).get(path).set(bearer(h.tokens.legal));
      expect([path, res.status]).toEqual([path, 400]);
    }
  });

  it('turns an unexpected failure into a generic 500 that leaks nothing, and logs it', async () => {
    const h = await harness();
    h.store.listContracts = async () => {
      throw new Error('relation "contract" does not exist at /srv/secret/path.ts:12');
    };
    const res = await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal));
    isProblem(res, 500, 'INTERNAL');
    expect(res.text).not.toContain('relation');
    expect(res.text).not.toContain('/srv/secret');
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(h.logs.join('')).toContain('relation \\"contract\\" does not exist');
  });

  it('keeps the status and code of an AppError from below', async () => {
    const h = await harness();
    h.store.listContracts = async () => {
      throw new AppError('DATABASE_BUSY', 503, 'Try again shortly.');
    };
    const res = await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal));
    isProblem(res, 503, 'DATABASE_BUSY');
    expect(res.body.detail).toBe('Try again shortly.');
  });
});

describe('request logging', () => {
  it('echoes a sane x-request-id, makes one otherwise, and logs neither tokens nor document text', async () => {
    const h = await harness();
    const text = 'Supplier shall notify Customer within 72 hours of a Security Incident. UNIQUE-MARKER-7781';
    const up = await request(h.app)
      .post('/api/v1/contracts')
      .set(bearer(h.tokens.analyst))
      .set('x-request-id', 'trace-123')
      .field('counterparty', 'Lumen')
      .field('role', 'customer')
      .attach('file', Buffer.from(text), 'c.txt');
    expect(up.headers['x-request-id']).toBe('trace-123');
    await request(h.app).get(`/api/v1/contracts/${up.body.id}/file`).set(bearer(h.tokens.legal));
    const odd = await request(h.app).get('/healthz').set('x-request-id', 'bad id with spaces and <chars> {"injected":1}');
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const logged = h.logs.join('');
    expect(logged).toContain('"reqId":"trace-123"');
    expect(logged).toContain('"route":"/api/v1/contracts"');
    for (const token of Object.values(h.tokens)) expect(logged).not.toContain(token);
    expect(logged).not.toContain('UNIQUE-MARKER-7781');
  });
});

describe('malformed URLs', () => {
  it('answers a path that cannot be decoded with a 400 problem, not a 500', async () => {
    const h = await harness();
    const res = await request(h.app).get('/api/v1/contracts/%E0%A4%A').set(bearer(h.tokens.legal));
    isProblem(res, 400, 'BAD_REQUEST');
  });
});
