import request from 'supertest';
import { hashToken } from '../../src/auth/tokens';
import { type TokenRole } from '../../src/db/store';
import { openapi } from '../../src/http/openapi';
import { computedDeadline, newIncidentFacts } from '../incidents/service-fixtures';
import { bearer, harness, ROLES, type Harness } from './app-harness';

/**
 * Who may call what, as the issues state it: analyst uploads, reprocesses and
 * reads; legal and responder read and search; responder manages incidents,
 * legal reads them, analyst has no access to them; admin everything. Each row
 * is one endpoint, with the roles allowed and the status they get.
 */
type Method = 'get' | 'post' | 'delete' | 'patch';
interface Row {
  method: Method;
  path: string;
  allowed: TokenRole[] | 'public';
  success: number;
}
const ALL = ROLES;
const INCIDENT_READERS: TokenRole[] = ['admin', 'legal', 'responder'];
const INCIDENT_MANAGERS: TokenRole[] = ['admin', 'responder'];
const MATRIX: Row[] = [
  { method: 'post', path: '/api/v1/contracts', allowed: ['admin', 'analyst'], success: 202 },
  { method: 'get', path: '/api/v1/contracts', allowed: ALL, success: 200 },
  { method: 'get', path: '/api/v1/contracts/{id}', allowed: ALL, success: 200 },
  { method: 'get', path: '/api/v1/contracts/{id}/file', allowed: ALL, success: 200 },
  { method: 'get', path: '/api/v1/contracts/{id}/text', allowed: ALL, success: 200 },
  { method: 'get', path: '/api/v1/contracts/{id}/findings', allowed: ALL, success: 200 },
  { method: 'post', path: '/api/v1/contracts/{id}/reprocess', allowed: ['admin', 'analyst'], success: 202 },
  { method: 'delete', path: '/api/v1/contracts/{id}', allowed: ['admin'], success: 204 },
  { method: 'get', path: '/api/v1/counterparties', allowed: ALL, success: 200 },
  { method: 'get', path: '/api/v1/counterparties/{id}', allowed: ALL, success: 200 },
  { method: 'get', path: '/api/v1/obligations', allowed: ALL, success: 200 },
  { method: 'get', path: '/api/v1/obligations.csv', allowed: ALL, success: 200 },
  { method: 'get', path: '/api/v1/me', allowed: ALL, success: 200 },
  { method: 'get', path: '/api/v1/meta', allowed: ALL, success: 200 },
  { method: 'get', path: '/api/v1/audit', allowed: ['admin'], success: 200 },
  { method: 'post', path: '/api/v1/incidents', allowed: INCIDENT_MANAGERS, success: 201 },
  { method: 'get', path: '/api/v1/incidents', allowed: INCIDENT_READERS, success: 200 },
  { method: 'get', path: '/api/v1/incidents/{id}', allowed: INCIDENT_READERS, success: 200 },
  { method: 'patch', path: '/api/v1/incidents/{id}', allowed: INCIDENT_MANAGERS, success: 200 },
  { method: 'get', path: '/api/v1/incidents/{id}/deadlines', allowed: INCIDENT_READERS, success: 200 },
  { method: 'patch', path: '/api/v1/deadlines/{id}', allowed: INCIDENT_MANAGERS, success: 200 },
  { method: 'get', path: '/api/v1/incidents/{id}/plan', allowed: INCIDENT_READERS, success: 200 },
  { method: 'get', path: '/api/v1/incidents/{id}/drafts', allowed: INCIDENT_READERS, success: 200 },
  { method: 'get', path: '/api/v1/incidents/{id}/deadlines.ics', allowed: INCIDENT_READERS, success: 200 },
  { method: 'get', path: '/api/v1/incidents/{id}/deadlines.csv', allowed: INCIDENT_READERS, success: 200 },
  { method: 'get', path: '/api/v1/incidents/{id}/report', allowed: INCIDENT_READERS, success: 200 },
  { method: 'get', path: '/metrics', allowed: ['admin'], success: 200 },
  { method: 'get', path: '/healthz', allowed: 'public', success: 200 },
  { method: 'get', path: '/readyz', allowed: 'public', success: 200 },
  { method: 'get', path: '/api/v1/openapi.json', allowed: 'public', success: 200 },
  { method: 'get', path: '/api/v1/docs', allowed: 'public', success: 200 },
];

interface Ids {
  contractId: string;
  counterpartyId: string;
  incidentId: string;
  deadlineId: string;
}

async function seeded(): Promise<{ h: Harness } & Ids> {
  const h = await harness();
  const { contract } = await h.store.createContract(
    { counterparty: 'Northwind Security', ourRole: 'customer', title: null, kind: null, fileName: 'msa.txt', mediaType: 'text/plain; charset=utf-8', bytes: Buffer.from('Master services agreement.'), sha256: 'a'.repeat(64) },
    'test',
  );
  await h.store.saveExtraction(contract.id, 'Master services agreement.', [{ number: 1, start: 0, end: 26 }], []);
  const incident = await h.store.createIncident(
    newIncidentFacts({ counterpartyIds: [contract.counterpartyId] }),
    'test',
  );
  const { deadlines } = (await h.store.replaceIncidentDeadlines(incident.id, [computedDeadline()], 'test'))!;
  return { h, contractId: contract.id, counterpartyId: contract.counterpartyId, incidentId: incident.id, deadlineId: deadlines[0].id };
}

function idFor(path: string, ids: Ids): string {
  if (path.startsWith('/api/v1/counterparties')) return ids.counterpartyId;
  if (path.startsWith('/api/v1/incidents')) return ids.incidentId;
  if (path.startsWith('/api/v1/deadlines')) return ids.deadlineId;
  return ids.contractId;
}

function call(h: Harness, row: Row, ids: Ids) {
  const url = row.path.replace('{id}', idFor(row.path, ids));
  const req = request(h.app)[row.method](url);
  if (row.method === 'post' && row.path === '/api/v1/contracts') {
    return req.field('counterparty', 'Lumen').field('role', 'customer').attach('file', Buffer.from('The Supplier shall keep records.'), 'c.txt');
  }
  if (row.method === 'post' && row.path === '/api/v1/incidents') {
    return req.send({ title: 'Phishing', origin: 'vendor', counterparties: ['Northwind Security'], awareAt: '2026-03-02T09:00:00Z', timeZone: 'Europe/Berlin' });
  }
  if (row.method === 'patch' && row.path === '/api/v1/incidents/{id}') return req.send({ status: 'confirmed', confirmedAt: '2026-03-03T09:00:00Z' });
  if (row.method === 'patch' && row.path === '/api/v1/deadlines/{id}') return req.send({ status: 'done', note: 'sent by e-mail' });
  return req;
}

/** What the app really serves, read back from its router ("get /api/v1/contracts/{id}"): a new route without a row fails below. */
function servedOperations(app: unknown): string[] {
  const stack = (app as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
  return stack.flatMap((l) => (l.route ? Object.keys(l.route.methods).map((m) => `${m} ${l.route!.path.replace(/:(\w+)/g, '{$1}')}`) : []));
}

describe('roles x endpoints', () => {
  it('has one row for every route the app serves, and serves every row', async () => {
    const { app } = await harness();
    const served = [...new Set(servedOperations(app))].sort();
    expect(served.length).toBeGreaterThan(25);
    expect(MATRIX.map((r) => `${r.method} ${r.path}`).sort()).toEqual(served);
  });

  it('covers every documented operation', () => {
    const documented = Object.entries(openapi.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(MATRIX.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
  });

  it('documents the same roles as the matrix', () => {
    for (const row of MATRIX) {
      const op = openapi.paths[row.path][row.method] as { 'x-roles'?: string[] };
      expect([row.path, op['x-roles'] ? [...op['x-roles']].sort() : 'public']).toEqual([row.path, row.allowed === 'public' ? 'public' : [...row.allowed].sort()]);
    }
  });

  describe.each(MATRIX.filter((r) => r.allowed !== 'public').map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s', (_name, row) => {
    it('is refused without a token: 401 with a Bearer challenge', async () => {
      const { h, ...ids } = await seeded();
      const res = await call(h, row, ids);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="pactwatch"/);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('is refused with an unknown, revoked or expired token or a non-Bearer scheme: 401, all alike', async () => {
      const { h, ...ids } = await seeded();
      const unknown = await call(h, row, ids).set(bearer('pw_not-a-real-token-at-all-000000000000000000'));
      expect(unknown.status).toBe(401);
      expect(unknown.body.code).toBe('INVALID_TOKEN');
      expect(unknown.headers['www-authenticate']).toContain('error="invalid_token"');
      const basic = await call(h, row, ids).set('Authorization', `Basic ${h.tokens.admin}`);
      expect(basic.status).toBe(401);
      const expired = 'pw_expired-token-for-the-matrix-0000000000000';
      await h.store.createToken({ name: 'expired', role: 'admin', hash: hashToken(expired, 'test'), expiresAt: new Date(Date.now() - 1000) }, 'test');
      const admin = await h.store.findTokenByHash(hashToken(h.tokens.admin, 'test'));
      await h.store.revokeToken(admin!.id, 'test');
      for (const token of [h.tokens.admin, expired]) {
        const res = await call(h, row, ids).set(bearer(token));
        expect([res.status, res.body.code, res.body.detail]).toEqual([401, 'INVALID_TOKEN', unknown.body.detail]);
      }
    });

    it.each(ROLES)('as %s', async (role) => {
      const { h, ...ids } = await seeded();
      const res = await call(h, row, ids).set(bearer(h.tokens[role]));
      if ((row.allowed as TokenRole[]).includes(role)) {
        expect(res.status).toBe(row.success);
      } else {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
    });
  });

  describe.each(MATRIX.filter((r) => r.allowed === 'public').map((r) => [r.path, r] as const))('%s', (_name, row) => {
    it('answers without a token', async () => {
      const { h, ...ids } = await seeded();
      expect((await call(h, row, ids)).status).toBe(row.success);
    });
  });
});
