import request from 'supertest';
import { ConfigError, loadConfig } from '../../src/config';
import { bearer, harness, type Harness } from './app-harness';

/**
 * The two limits: API requests per token (per address without one) per
 * minute, and refused tokens per address per 15 minutes. Time is moved by
 * faking the clock (Date only: sockets and timers stay real), so no test waits
 * for a window to pass.
 */

const expectTooMany = (res: request.Response, code: string) => {
  expect([res.status, res.body.code]).toEqual([429, code]);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  return retryAfter;
};

const fakeDate = () => jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });

afterEach(() => {
  jest.useRealTimers();
});

describe('configuration', () => {
  it('defaults to 600 requests a minute and 20 refused tokens per 15 minutes; 0 turns either off; nonsense stops start-up naming the variable', () => {
    expect(loadConfig({})).toMatchObject({ rateLimitPerMinute: 600, authFailureLimit: 20, trustProxyHops: 0 });
    expect(loadConfig({ PACTWATCH_RATE_LIMIT: '0', PACTWATCH_AUTH_FAILURE_LIMIT: '0', PACTWATCH_TRUST_PROXY: '1' })).toMatchObject({ rateLimitPerMinute: 0, authFailureLimit: 0, trustProxyHops: 1 });
    for (const [name, value] of [
      ['PACTWATCH_RATE_LIMIT', 'lots'],
      ['PACTWATCH_RATE_LIMIT', '-5'],
      ['PACTWATCH_AUTH_FAILURE_LIMIT', '2.5'],
      ['PACTWATCH_TRUST_PROXY', 'true'],
    ]) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
    }
  });
});

describe('requests per token', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ PACTWATCH_RATE_LIMIT: '5' });
  });

  it('serves the limit, then answers 429 RATE_LIMITED with Retry-After until the minute is over', async () => {
    fakeDate();
    for (let i = 0; i < 5; i++) {
      const res = await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal));
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-policy']).toMatch(/q=5; w=60/);
    }
    const refused = await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal));
    const wait = expectTooMany(refused, 'RATE_LIMITED');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(refused.body.detail).toContain('with this token');
    expect(refused.text).not.toContain(h.tokens.legal);
    expect(h.logs.join('')).toContain('request rate limit reached');
    // every kind of request counts, a write too
    expect((await request(h.app).post('/api/v1/contracts').set(bearer(h.tokens.legal))).status).toBe(429);

    jest.setSystemTime(Date.now() + 61_000);
    expect((await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal))).status).toBe(200);
    // the limiter found nothing to complain about in how it is set up
    expect(h.logs.join('')).not.toContain('ERR_ERL_');
  });

  it('counts each token on its own, and requests without a token by address', async () => {
    for (let i = 0; i < 5; i++) await request(h.app).get('/api/v1/me').set(bearer(h.tokens.legal));
    expectTooMany(await request(h.app).get('/api/v1/me').set(bearer(h.tokens.legal)), 'RATE_LIMITED');
    // another user at the same address is not held up by the first
    expect((await request(h.app).get('/api/v1/me').set(bearer(h.tokens.analyst))).status).toBe(200);
    // nor is a caller without a token (the public API description counts by address)
    for (let i = 0; i < 5; i++) expect((await request(h.app).get('/api/v1/openapi.json')).status).toBe(200);
    const anonymous = await request(h.app).get('/api/v1/openapi.json');
    expectTooMany(anonymous, 'RATE_LIMITED');
    expect(anonymous.body.detail).toContain('from this address');
    expect((await request(h.app).get('/api/v1/me').set(bearer(h.tokens.responder))).status).toBe(200);
  });

  it('never limits the health probes or the pages', async () => {
    for (let i = 0; i < 6; i++) await request(h.app).get('/api/v1/docs');
    for (let i = 0; i < 20; i++) {
      for (const url of ['/healthz', '/readyz', '/', '/js/api.js', '/app.css']) {
        const res = await request(h.app).get(url);
        expect([url, res.status]).toEqual([url, 200]);
        expect(res.headers['ratelimit-policy']).toBeUndefined();
      }
    }
  });

  it('limits /metrics like the API', async () => {
    for (let i = 0; i < 5; i++) expect((await request(h.app).get('/metrics').set(bearer(h.tokens.admin))).status).toBe(200);
    expectTooMany(await request(h.app).get('/metrics').set(bearer(h.tokens.admin)), 'RATE_LIMITED');
  });

  it('is off with PACTWATCH_RATE_LIMIT=0', async () => {
    const off = await harness({ PACTWATCH_RATE_LIMIT: '0' });
    for (let i = 0; i < 50; i++) {
      const res = await request(off.app).get('/api/v1/me').set(bearer(off.tokens.legal));
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-policy']).toBeUndefined();
    }
  });
});

describe('refused tokens per address', () => {
  const BAD = 'pw_guessed-token-0000000000000000000000000000';

  it('after the limit, refuses every token from that address, a valid one too, with 429 TOO_MANY_FAILED_SIGN_INS, for 15 minutes', async () => {
    fakeDate();
    const h = await harness({ PACTWATCH_AUTH_FAILURE_LIMIT: '3' });
    for (let i = 0; i < 3; i++) {
      const res = await request(h.app).get('/api/v1/contracts').set(bearer(`${BAD}${i}`));
      expect([res.status, res.body.code]).toEqual([401, 'INVALID_TOKEN']);
    }
    const guess = await request(h.app).get('/api/v1/contracts').set(bearer(`${BAD}x`));
    const wait = expectTooMany(guess, 'TOO_MANY_FAILED_SIGN_INS');
    // answered before the request limit counts (or remembers) the made-up token
    expect(guess.headers['ratelimit']).toBeUndefined();
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    // a guess that happened to be right is not let through either: that is the point
    expectTooMany(await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal)), 'TOO_MANY_FAILED_SIGN_INS');
    // no token at all is still a plain 401, and the probes answer
    expect((await request(h.app).get('/api/v1/contracts')).status).toBe(401);
    expect((await request(h.app).get('/healthz')).status).toBe(200);
    const logged = h.logs.join('');
    expect(logged).toContain('too many refused tokens');
    expect(logged).not.toContain(BAD);

    jest.setSystemTime(Date.now() + 14 * 60_000);
    expectTooMany(await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal)), 'TOO_MANY_FAILED_SIGN_INS');
    jest.setSystemTime(Date.now() + 61_000);
    expect((await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal))).status).toBe(200);
  });

  it('counts only refusals: valid tokens, 403s and missing tokens do not add up', async () => {
    const h = await harness({ PACTWATCH_AUTH_FAILURE_LIMIT: '3' });
    for (let i = 0; i < 10; i++) {
      expect((await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal))).status).toBe(200);
      expect((await request(h.app).get('/api/v1/audit').set(bearer(h.tokens.legal))).status).toBe(403);
      expect((await request(h.app).get('/api/v1/contracts')).status).toBe(401);
    }
    for (let i = 0; i < 2; i++) expect((await request(h.app).get('/api/v1/me').set(bearer(BAD))).status).toBe(401);
    expect((await request(h.app).get('/api/v1/me').set(bearer(h.tokens.legal))).status).toBe(200);
    // a malformed Authorization header is a refused token too
    expect((await request(h.app).get('/api/v1/me').set('Authorization', 'Basic dXNlcjpwYXNz')).status).toBe(401);
    expectTooMany(await request(h.app).get('/api/v1/me').set(bearer(h.tokens.legal)), 'TOO_MANY_FAILED_SIGN_INS');
  });

  it('tells addresses apart behind a trusted proxy, and ignores X-Forwarded-For without one', async () => {
    const behind = await harness({ PACTWATCH_AUTH_FAILURE_LIMIT: '2', PACTWATCH_TRUST_PROXY: '1' });
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    for (let i = 0; i < 2; i++) await request(behind.app).get('/api/v1/me').set(bearer(BAD)).set(from('203.0.113.5'));
    expectTooMany(await request(behind.app).get('/api/v1/me').set(bearer(behind.tokens.legal)).set(from('203.0.113.5')), 'TOO_MANY_FAILED_SIGN_INS');
    expect((await request(behind.app).get('/api/v1/me').set(bearer(behind.tokens.legal)).set(from('203.0.113.6'))).status).toBe(200);
    expect(behind.logs.join('')).not.toContain('ERR_ERL_');

    // without a trusted proxy, a made-up X-Forwarded-For buys an attacker nothing
    const direct = await harness({ PACTWATCH_AUTH_FAILURE_LIMIT: '2' });
    for (let i = 0; i < 2; i++) await request(direct.app).get('/api/v1/me').set(bearer(BAD)).set(from(`198.51.100.${i}`));
    expectTooMany(await request(direct.app).get('/api/v1/me').set(bearer(BAD)).set(from('198.51.100.99')), 'TOO_MANY_FAILED_SIGN_INS');
  });

  it('is off with PACTWATCH_AUTH_FAILURE_LIMIT=0', async () => {
    const h = await harness({ PACTWATCH_AUTH_FAILURE_LIMIT: '0' });
    for (let i = 0; i < 30; i++) expect((await request(h.app).get('/api/v1/me').set(bearer(`${BAD}${i}`))).status).toBe(401);
    expect((await request(h.app).get('/api/v1/me').set(bearer(h.tokens.legal))).status).toBe(200);
  });

  it('keeps the default of 20', async () => {
    const h = await harness();
    for (let i = 0; i < 20; i++) expect((await request(h.app).get('/api/v1/me').set(bearer(`${BAD}${i}`))).status).toBe(401);
    expectTooMany(await request(h.app).get('/api/v1/me').set(bearer(h.tokens.legal)), 'TOO_MANY_FAILED_SIGN_INS');
  });
});

describe('the default limits and the pages', () => {
  it('let the contracts page upload 50 files at once while it polls the list, under one token', async () => {
    const h = await harness();
    const text = (i: number) => Buffer.from(`Document ${i}: the Supplier shall notify the Customer within 72 hours of a Security Incident.`);
    // what the page does on a drop: every file at once (web/js/contracts.js), then the list every 1.5 s while any is processing
    const uploads = Array.from({ length: 50 }, (_, i) =>
      request(h.app).post('/api/v1/contracts').set(bearer(h.tokens.analyst)).field('counterparty', 'Lumen').field('role', 'customer').attach('file', text(i), `c${i}.txt`),
    );
    const polls = Array.from({ length: 40 }, () => request(h.app).get('/api/v1/contracts').query({ limit: 25 }).set(bearer(h.tokens.analyst)));
    const answers = await Promise.all([...uploads, ...polls]);
    expect(answers.filter((r) => r.status === 429)).toEqual([]);
    expect(answers.slice(0, 50).every((r) => r.status === 202)).toBe(true);
    expect(answers.slice(50).every((r) => r.status === 200)).toBe(true);
  });
});
