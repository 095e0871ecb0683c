import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createToken, ensureAdminToken, hashToken, verifyToken } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { type TokenRole } from '../../src/db/store';
import { createApp } from '../../src/http/app';
import { createMemoryStore, type MemoryStore } from '../helpers/memory-store';
import { bearer, fakeJobs, ROLES } from './app-harness';

describe('API tokens', () => {
  const config = loadConfig({ PACTWATCH_DEPLOYMENT: 'prod-eu' });

  it('are 32 random bytes, base64url, with a recognisable prefix, and stored only as a hash', async () => {
    const store = createMemoryStore();
    const a = await createToken(store, config, { name: 'Dana (legal)', role: 'legal' }, 'admin');
    const b = await createToken(store, config, { name: 'Dana (legal)', role: 'legal' }, 'admin');
    expect(a).toMatch(/^pw_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    const record = await store.findTokenByHash(hashToken(a, 'prod-eu'));
    expect(record).toMatchObject({ name: 'Dana (legal)', role: 'legal', revokedAt: null });
    expect(JSON.stringify(store.events)).not.toContain(a);
    expect(store.events.map((e) => [e.action, e.actor])).toContainEqual(['token.create', 'admin']);
  });

  it('hash differently in another deployment', () => {
    expect(hashToken('pw_same', 'prod-eu')).not.toBe(hashToken('pw_same', 'prod-us'));
    expect(hashToken('pw_same', 'prod-eu')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verify: unknown, revoked and expired tokens are refused', async () => {
    const store = createMemoryStore();
    const token = await createToken(store, config, { name: 'ci', role: 'analyst', expiresAt: new Date('2030-01-01T00:00:00Z') }, 'admin');
    expect(await verifyToken(store, config, token, new Date('2029-12-31T00:00:00Z'))).toMatchObject({ ok: true, token: { role: 'analyst' } });
    expect(await verifyToken(store, config, token, new Date('2030-01-01T00:00:00Z'))).toEqual({ ok: false, reason: 'expired' });
    expect(await verifyToken(store, config, `${token}x`)).toEqual({ ok: false, reason: 'unknown' });
    expect(await verifyToken(store, config, 'x'.repeat(10_000))).toEqual({ ok: false, reason: 'unknown' });
    const record = await store.findTokenByHash(hashToken(token, 'prod-eu'));
    await store.revokeToken(record!.id, 'admin');
    expect(await verifyToken(store, config, token, new Date('2029-12-31T00:00:00Z'))).toEqual({ ok: false, reason: 'revoked' });
  });

  it('refuse a nameless token or an unknown role', async () => {
    const store = createMemoryStore();
    await expect(createToken(store, config, { name: '  ', role: 'admin' }, 'admin')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(createToken(store, config, { name: 'x', role: 'root' as never }, 'admin')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await store.countTokens()).toBe(0);
  });

  describe('ensureAdminToken', () => {
    it('on an empty token table creates an admin token and returns it once', async () => {
      const store = createMemoryStore();
      const token = await ensureAdminToken(store, config);
      expect(token).toMatch(/^pw_/);
      expect(await verifyToken(store, config, token!)).toMatchObject({ ok: true, token: { role: 'admin' } });
      expect(await ensureAdminToken(store, config)).toBeNull();
      expect(await store.countTokens()).toBe(1);
    });

    it('installs the configured admin token when there is one', async () => {
      const store = createMemoryStore();
      const configured = loadConfig({ PACTWATCH_DEPLOYMENT: 'prod-eu', PACTWATCH_ADMIN_TOKEN: 'a-long-operator-chosen-secret-123' });
      expect(await ensureAdminToken(store, configured)).toBe('a-long-operator-chosen-secret-123');
      expect(await verifyToken(store, configured, 'a-long-operator-chosen-secret-123')).toMatchObject({ ok: true });
    });

    it('leaves a database that has tokens alone', async () => {
      const store = createMemoryStore();
      await createToken(store, config, { name: 'someone', role: 'legal' }, 'admin');
      expect(await ensureAdminToken(store, config)).toBeNull();
      expect(await store.countTokens()).toBe(1);
    });
  });
});

/** One deployment's app over a store (several deployments may share one, as a copied database would), with its log lines. */
function deployment(store: MemoryStore, name: string, env: Record<string, string> = {}) {
  const config = loadConfig({ PACTWATCH_DEPLOYMENT: name, ...env });
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = createApp({ store, jobs: fakeJobs(), config, logger: pino({ level: 'info' }, sink) });
  const refusals = () => lines.filter((l) => l.msg === 'token refused').map((l) => l.reason);
  return { app, config, lines, refusals };
}

describe('tokens at the API', () => {
  it('refuses a revoked token from the next request on: 401 like an unknown token, the reason only in the log', async () => {
    const store = createMemoryStore();
    const prod = deployment(store, 'prod-eu');
    const token = await createToken(store, prod.config, { name: 'Dana (legal)', role: 'legal' }, 'admin');
    expect((await request(prod.app).get('/api/v1/me').set(bearer(token))).body).toMatchObject({ name: 'Dana (legal)', role: 'legal' });
    await store.revokeToken((await store.findTokenByHash(hashToken(token, 'prod-eu')))!.id, 'admin');

    const revoked = await request(prod.app).get('/api/v1/me').set(bearer(token));
    const unknown = await request(prod.app).get('/api/v1/me').set(bearer(`${token}x`));
    expect([revoked.status, revoked.body.code]).toEqual([401, 'INVALID_TOKEN']);
    const { requestId: _a, ...revokedBody } = revoked.body as Record<string, unknown>;
    const { requestId: _b, ...unknownBody } = unknown.body as Record<string, unknown>;
    expect(revokedBody).toEqual(unknownBody);
    expect(prod.refusals()).toEqual(['revoked', 'unknown']);
    expect(JSON.stringify(prod.lines)).not.toContain(token);
  });

  it('serves a token until it expires, then refuses it with the reason logged', async () => {
    jest.useFakeTimers({ now: new Date('2029-12-31T23:59:00Z'), doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      const store = createMemoryStore();
      const prod = deployment(store, 'prod-eu');
      const token = await createToken(store, prod.config, { name: 'contractor', role: 'analyst', expiresAt: new Date('2030-01-01T00:00:00Z') }, 'admin');
      expect((await request(prod.app).get('/api/v1/contracts').set(bearer(token))).status).toBe(200);
      jest.setSystemTime(new Date('2030-01-01T00:00:00Z'));
      const expired = await request(prod.app).get('/api/v1/contracts').set(bearer(token));
      expect([expired.status, expired.body.code]).toEqual([401, 'INVALID_TOKEN']);
      expect(expired.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(prod.refusals()).toEqual(['expired']);
    } finally {
      jest.useRealTimers();
    }
  });

  it.each(ROLES)("never lets a %s token of one deployment into another, even over the same database", async (role: TokenRole) => {
    const store = createMemoryStore();
    const eu = deployment(store, 'prod-eu');
    const us = deployment(store, 'prod-us');
    const euToken = await createToken(store, eu.config, { name: `${role} eu`, role }, 'admin');
    const usToken = await createToken(store, us.config, { name: `${role} us`, role }, 'admin');
    expect((await request(eu.app).get('/api/v1/me').set(bearer(euToken))).body.name).toBe(`${role} eu`);
    expect((await request(us.app).get('/api/v1/me').set(bearer(usToken))).body.name).toBe(`${role} us`);
    const crossed = [await request(us.app).get('/api/v1/me').set(bearer(euToken)), await request(eu.app).get('/api/v1/me').set(bearer(usToken))];
    expect(crossed.map((r) => [r.status, r.body.code])).toEqual([
      [401, 'INVALID_TOKEN'],
      [401, 'INVALID_TOKEN'],
    ]);
    expect([...eu.refusals(), ...us.refusals()]).toEqual(['unknown', 'unknown']);
  });

  it('does not open another deployment with the operator-chosen admin token either', async () => {
    const store = createMemoryStore();
    const chosen = { PACTWATCH_ADMIN_TOKEN: 'the-same-long-operator-secret-0001' };
    const eu = deployment(store, 'prod-eu', chosen);
    const us = deployment(store, 'prod-us', chosen);
    expect(await ensureAdminToken(store, eu.config)).toBe(chosen.PACTWATCH_ADMIN_TOKEN);
    // the database has a token now, so the second deployment installs none of its own
    expect(await ensureAdminToken(store, us.config)).toBeNull();
    expect((await request(eu.app).get('/api/v1/audit').set(bearer(chosen.PACTWATCH_ADMIN_TOKEN))).status).toBe(200);
    expect((await request(us.app).get('/api/v1/audit').set(bearer(chosen.PACTWATCH_ADMIN_TOKEN))).status).toBe(401);
  });

  it.each([
    ['Bearer', 401, 'INVALID_TOKEN'],
    ['Bearer ', 401, 'INVALID_TOKEN'],
    ['Bearer a b', 401, 'INVALID_TOKEN'],
    ['Token %s', 401, 'INVALID_TOKEN'],
    [`Bearer ${'x'.repeat(10_000)}`, 401, 'INVALID_TOKEN'],
    ['bearer %s', 200, null],
    ['Bearer\t%s ', 200, null],
  ])('answers the Authorization header %j with %i', async (template, status, code) => {
    const store = createMemoryStore();
    const prod = deployment(store, 'prod-eu');
    const token = await createToken(store, prod.config, { name: 'someone', role: 'legal' }, 'admin');
    const res = await request(prod.app).get('/api/v1/me').set('Authorization', template.replace('%s', token));
    expect([res.status, res.body.code ?? null]).toEqual([status, code]);
  });
});
