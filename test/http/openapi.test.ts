import request from 'supertest';
import { openapi } from '../../src/http/openapi';
import { harness } from './app-harness';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** What the app really serves, read back from its router: "get /api/v1/contracts/{id}". */
function servedOperations(app: unknown): string[] {
  const stack = (app as { router: { stack: Layer[] } }).router.stack;
  return stack
    .filter((l): l is Required<Layer> => l.route !== undefined)
    .flatMap((l) => Object.keys(l.route.methods).map((m) => `${m} ${l.route.path.replace(/:(\w+)/g, '{$1}')}`));
}

const documentedOperations = () => Object.entries(openapi.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refsIn(v)));
  }
  return [];
}

describe('the OpenAPI document', () => {
  it('documents every route the app serves, and serves every route it documents', async () => {
    const { app } = await harness();
    const served = servedOperations(app);
    expect(served.length).toBeGreaterThan(10);
    expect([...new Set(served)].sort()).toEqual(documentedOperations().sort());
  });

  it('is served without a token, as OpenAPI 3.1, with unique operation ids and no dangling references', async () => {
    const { app } = await harness();
    const res = await request(app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe('3.1.0');
    const ops = Object.values(res.body.paths as Record<string, Record<string, { operationId: string; responses: object }>>).flatMap((o) => Object.values(o));
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of ops) expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    for (const ref of refsIn(res.body)) {
      const name = ref.replace('#/components/schemas/', '');
      expect([ref, res.body.components.schemas[name] !== undefined]).toEqual([ref, true]);
    }
  });

  it('is readable as a self-contained web page listing every operation and error code', async () => {
    const { app } = await harness();
    const res = await request(app).get('/api/v1/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const html = res.text;
    for (const [p, ops] of Object.entries(openapi.paths)) {
      for (const m of Object.keys(ops)) expect(html).toContain(`${m.toUpperCase()}</span> <code>${p}</code>`);
    }
    expect(html).toContain('id="FILE_TOO_LARGE"');
    expect(html).not.toMatch(/<script|src="http|href="http/);
  });
});
