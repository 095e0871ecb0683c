import { createToken, ensureAdminToken, hashToken, verifyToken } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { createMemoryStore } from '../helpers/memory-store';

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
