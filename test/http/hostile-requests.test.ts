import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { createToken } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { openThrowAwayStore, type ThrowAwayStore } from '../../src/db';
import { createApp } from '../../src/http/app';
import { ERROR_CODES, openapi } from '../../src/http/openapi';
import { MAX_QUERY_PARAMETERS, MAX_URL_BYTES } from '../../src/http/request-guards';
import { clause, obligation } from '../db/db-modes';
import { computedDeadline, newIncidentFacts } from '../incidents/service-fixtures';
import { bearer, fakeJobs, harness, type Harness } from './app-harness';

/**
 * Requests a careless or hostile client sends. Each gets a problem+json with a
 * stable code, never a stack trace, and the service keeps serving. What
 * errors.test.ts and contracts.test.ts already cover (the 404 of an unknown
 * GET route, malformed JSON on reprocess, SQL-looking filters on the memory
 * store, one or two files on upload) is not repeated here.
 */

const STACK = /\bat .*\.(ts|js):\d+|node_modules|SyntaxError|TypeError|QueryFailedError/;

function expectProblem(res: { status: number; headers: Record<string, string>; text: string }, status: number, code: string): Record<string, unknown> {
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect([res.status, body.code]).toEqual([status, code]);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(body).toEqual(expect.objectContaining({ type: `/api/v1/docs#${code}`, title: expect.any(String), status, detail: expect.any(String) }));
  expect(res.text).not.toMatch(STACK);
  expect(Object.keys(ERROR_CODES)).toContain(code);
  return body;
}

/** Writes raw bytes to the server and reads the whole answer: for requests no HTTP client would send. */
function rawExchange(server: Server, bytes: string): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    // the server closes once it has answered; the rest of a huge request may then meet a reset, after the answer
    socket.on('error', (err) => {
      if (chunks.length === 0) reject(err);
    });
    socket.on('close', () => {
      const answer = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = answer.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text: rest.join('\r\n\r\n') });
    });
  });
}

/** Sends bytes as they are (supertest would serialize a Buffer as JSON under a JSON content type). */
function postBytes(server: Server, url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: url, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function listening(h: Harness): Promise<Server> {
  return new Promise((resolve) => {
    const server = h.app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const stillServing = async (h: Harness) => {
  expect((await request(h.app).get('/healthz')).status).toBe(200);
  expect((await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal))).status).toBe(200);
};

async function withIncident(h: Harness) {
  const incident = await h.store.createIncident(newIncidentFacts({ origin: 'ours' }), 'test');
  const { deadlines } = (await h.store.replaceIncidentDeadlines(incident.id, [computedDeadline()], 'test'))!;
  return { incidentId: incident.id, deadlineId: deadlines[0].id };
}

describe('malformed JSON and wrong types', () => {
  let h: Harness;
  let ids: { incidentId: string; deadlineId: string };
  beforeAll(async () => {
    h = await harness();
    ids = await withIncident(h);
  });

  const MALFORMED = ['{"title": "x"', "{'title': 'x'}", '{"title": "x",}', 'NaN', '{"title": undefined}', '\u0000{}', '"just a string"', '12'];
  const routes = () => [
    ['post', '/api/v1/incidents'],
    ['patch', `/api/v1/incidents/${ids.incidentId}`],
    ['patch', `/api/v1/deadlines/${ids.deadlineId}`],
  ] as const;

  it.each(MALFORMED)('refuses %j on every JSON route with 400 MALFORMED_JSON and echoes nothing of the parser', async (body) => {
    for (const [method, url] of routes()) {
      const res = await request(h.app)[method](url).set(bearer(h.tokens.responder)).set('Content-Type', 'application/json').send(body);
      const p = expectProblem(res, 400, 'MALFORMED_JSON');
      expect(p.detail).toBe('The request body is not valid JSON.');
    }
    expect((await h.store.listIncidents({}, { limit: 10, offset: 0 })).total).toBe(1);
  });

  it.each([
    [{ title: 42, origin: 'ours' }, 'body.title'],
    [{ title: ['a'], origin: 'ours' }, 'body.title'],
    [{ title: 'x', origin: true }, 'body.origin'],
    [{ title: 'x', origin: 'ours', awareAt: 1772442000000 }, 'body.awareAt'],
    [{ title: 'x', origin: 'ours', awareAt: 'yesterday' }, 'body.awareAt'],
    [{ title: 'x', origin: 'ours', counterparties: 'Lumen' }, 'body.counterparties'],
    [{ title: 'x', origin: 'ours', affectedCount: '12' }, 'body.affectedCount'],
    [{ title: 'x', origin: 'ours', affectedCount: 1.5 }, 'body.affectedCount'],
    [{ title: 'x', origin: 'ours', affectedCount: -1 }, 'body.affectedCount'],
    [{ title: 'x', origin: 'ours', affectedCount: 1e300 }, 'body.affectedCount'],
    [{ title: 'x', origin: 'ours', dataCategories: [{ $ne: null }] }, 'body.dataCategories.0'],
    [{ title: 'x', origin: 'ours', jurisdictions: ["EU' OR '1'='1"] }, 'body.jurisdictions.0'],
    [{ title: 'x', origin: 'ours', timeZone: '../../../../etc/localtime' }, 'body.timeZone'],
    [{ title: 'x', origin: 'ours', isAdmin: true }, '"isAdmin"'],
    [{ title: 'x', origin: 'ours', constructor: { prototype: { admin: true } } }, '"constructor"'],
  ])('refuses a declaration with a wrong type (%j), naming the field', async (body, field) => {
    const res = await request(h.app).post('/api/v1/incidents').set(bearer(h.tokens.responder)).send(body);
    const p = expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(p.detail).toContain(field);
  });

  it.each([
    [[], 'VALIDATION_FAILED'],
    [[{ title: 'x', origin: 'ours' }], 'VALIDATION_FAILED'],
    // a JSON body is an object or an array; anything else is not read as JSON at all
    [true, 'MALFORMED_JSON'],
    [null, 'MALFORMED_JSON'],
  ])('refuses a body that is not an object (%j)', async (body, code) => {
    const res = await request(h.app).post('/api/v1/incidents').set(bearer(h.tokens.responder)).set('Content-Type', 'application/json').send(JSON.stringify(body));
    expectProblem(res, 400, code);
  });

  it('refuses a deadline update with a wrong status or a note of the wrong type, changing nothing', async () => {
    const before = await request(h.app).get(`/api/v1/incidents/${ids.incidentId}/deadlines`).set(bearer(h.tokens.legal));
    for (const body of [{ status: 'missed' }, { status: 'done', note: { $gt: '' } }, { status: 'not_applicable' }, { status: 1 }]) {
      const res = await request(h.app).patch(`/api/v1/deadlines/${ids.deadlineId}`).set(bearer(h.tokens.responder)).send(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
    }
    const after = await request(h.app).get(`/api/v1/incidents/${ids.incidentId}/deadlines`).set(bearer(h.tokens.legal));
    expect(after.body.items).toEqual(before.body.items);
    expect(h.store.events.filter((e) => e.action.startsWith('deadline'))).toEqual([]);
  });

  it('keeps serving after all of it', async () => {
    await stillServing(h);
  });
});

describe('huge and odd bodies', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });

  it('refuses a JSON body over 64 KB with 413 BODY_TOO_LARGE, also when it arrives gzip-compressed', async () => {
    const huge = JSON.stringify({ title: 'x'.repeat(1_000_000), origin: 'ours' });
    expectProblem(await request(h.app).post('/api/v1/incidents').set(bearer(h.tokens.responder)).set('Content-Type', 'application/json').send(huge), 413, 'BODY_TOO_LARGE');
    const server = await listening(h);
    try {
      const headers = { ...bearer(h.tokens.responder), 'content-type': 'application/json', 'content-encoding': 'gzip' };
      // 10 MB of JSON that compresses to about 10 KB: inflated only up to the limit
      const bomb = gzipSync(Buffer.from(`{"title":"${' '.repeat(10_000_000)}","origin":"ours"}`));
      expect(bomb.length).toBeLessThan(64 * 1024);
      expectProblem(await postBytes(server, '/api/v1/incidents', headers, bomb), 413, 'BODY_TOO_LARGE');
      // a compressed body that does not inflate
      expectProblem(await postBytes(server, '/api/v1/incidents', headers, Buffer.from('not gzip at all')), 400, 'BAD_REQUEST');
      // while a small compressed body is read like any other
      const small = await postBytes(server, '/api/v1/incidents', headers, gzipSync(JSON.stringify({ title: 'Compressed', origin: 'ours' })));
      expect(small.status).toBe(201);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect((await h.store.listIncidents({}, { limit: 10, offset: 0 })).items.map((i) => i.title)).toEqual(['Compressed']);
  });

  it('refuses JSON nested thousands deep without exhausting the stack', async () => {
    const deep = `{"title":"x","origin":"ours","counterparties":${'['.repeat(30_000)}${']'.repeat(30_000)}}`;
    const res = await request(h.app).post('/api/v1/incidents').set(bearer(h.tokens.responder)).set('Content-Type', 'application/json').send(deep);
    expect(expectProblem(res, 400, 'VALIDATION_FAILED').detail).toMatch(/nested more than \d+ levels/);
  });

  it('refuses text PostgreSQL cannot store (NUL, unpaired surrogates) in JSON bodies, naming the field', async () => {
    for (const [raw, field, why] of [
      ['{"title":"a\\u0000b","origin":"ours"}', 'body.title', 'NUL'],
      ['{"title":"a\\ud800b","origin":"ours"}', 'body.title', 'surrogate'],
      ['{"title":"x","origin":"ours","counterparties":["ok","\\udfff"]}', 'body.counterparties.1', 'surrogate'],
      ['{"title":"x","origin":"ours","a\\u0000":1}', 'body', 'NUL'],
    ]) {
      const res = await request(h.app).post('/api/v1/incidents').set(bearer(h.tokens.responder)).set('Content-Type', 'application/json').send(raw);
      const p = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(p.detail).toContain(field);
      expect(p.detail).toContain(why);
    }
    // a real pair (an emoji) is text like any other
    const ok = await request(h.app).post('/api/v1/incidents').set(bearer(h.tokens.responder)).send({ title: 'Phishing \ud83c\udfa3 wave', origin: 'ours', awareAt: '2026-03-02T09:00:00Z' });
    expect(ok.status).toBe(201);
    expect(ok.body.title).toBe('Phishing 🎣 wave');
  });

  it.each([
    ['text/plain', '{"title":"x","origin":"ours"}'],
    ['application/xml', '<incident><title>x</title></incident>'],
    ['application/x-www-form-urlencoded', 'title=x&origin=ours'],
    ['multipart/form-data; boundary=X', '--X\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--X--\r\n'],
  ])('refuses a JSON route body sent as %s with 415 UNSUPPORTED_MEDIA_TYPE', async (type, body) => {
    const res = await request(h.app).post('/api/v1/incidents').set(bearer(h.tokens.responder)).set('Content-Type', type).send(body);
    expect(expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE').detail).toContain('application/json');
  });

  it('refuses a JSON body in another charset or an unknown Content-Encoding with 415', async () => {
    const latin1 = await request(h.app).post('/api/v1/incidents').set(bearer(h.tokens.responder)).set('Content-Type', 'application/json; charset=latin1').send('{"title":"caf\u00e9"}');
    expectProblem(latin1, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const encoded = await request(h.app).post('/api/v1/incidents').set(bearer(h.tokens.responder)).set('Content-Type', 'application/json').set('Content-Encoding', 'x-compress-9000').send('{}');
    expectProblem(encoded, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('takes +json types and an empty POST, as browsers send them', async () => {
    const { incidentId } = await withIncident(h);
    const patched = await request(h.app).patch(`/api/v1/incidents/${incidentId}`).set(bearer(h.tokens.responder)).set('Content-Type', 'application/merge-patch+json').send('{"severity":"low"}');
    expect([patched.status, patched.body.severity]).toEqual([200, 'low']);
    const { contract } = await h.store.createContract(
      { counterparty: 'X', ourRole: 'customer', title: null, kind: null, fileName: 'x.txt', mediaType: 'text/plain', bytes: Buffer.from('x'), sha256: 'c'.repeat(64) },
      'test',
    );
    const empty = await request(h.app).post(`/api/v1/contracts/${contract.id}/reprocess`).set(bearer(h.tokens.analyst)).set('Content-Length', '0');
    expect(empty.status).toBe(202);
  });

  it('keeps serving after all of it', async () => {
    await stillServing(h);
  });
});

describe('huge query strings and thousands of parameters', () => {
  let h: Harness;
  let server: Server;
  beforeAll(async () => {
    h = await harness();
    server = await listening(h);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers a 100 KB query string with 414 URI_TOO_LONG as a problem, from the server itself', async () => {
    const res = await rawExchange(server, `GET /api/v1/obligations?q=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${h.tokens.legal}\r\n\r\n`);
    expectProblem(res, 414, 'URI_TOO_LONG');
    expect(res.headers.connection).toBe('close');
  });

  it('answers 20 KB of headers with 431 HEADERS_TOO_LARGE, and a request line that is not HTTP with 400', async () => {
    const big = await rawExchange(server, `GET /api/v1/contracts HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`);
    expectProblem(big, 431, 'HEADERS_TOO_LARGE');
    const garbage = await rawExchange(server, 'G\u0000T / HTTP/1.1\r\nHost: x\r\n\r\n');
    expectProblem(garbage, 400, 'BAD_REQUEST');
  });

  it(`answers a URL over ${MAX_URL_BYTES} bytes with 414 URI_TOO_LONG before anything reads it`, async () => {
    const res = await request(server).get(`/api/v1/obligations?q=${'a'.repeat(MAX_URL_BYTES)}`).set(bearer(h.tokens.legal));
    expect(expectProblem(res, 414, 'URI_TOO_LONG').detail).toContain(String(MAX_URL_BYTES));
    // no token needed to be refused this way: nothing looked further
    expectProblem(await request(server).get(`/api/v1/contracts?x=${'%41'.repeat(MAX_URL_BYTES / 3)}`), 414, 'URI_TOO_LONG');
  });

  it('answers thousands of parameters with 400 TOO_MANY_PARAMETERS (or 414 when they are also too long)', async () => {
    const few = Array.from({ length: MAX_QUERY_PARAMETERS + 1 }, (_, i) => `k${i}=1`).join('&');
    expect(expectProblem(await request(server).get(`/api/v1/contracts?${few}`).set(bearer(h.tokens.legal)), 400, 'TOO_MANY_PARAMETERS').detail).toContain(
      String(MAX_QUERY_PARAMETERS),
    );
    const thousands = Array.from({ length: 4000 }, () => 'a').join('&');
    expectProblem(await request(server).get(`/api/v1/obligations?${thousands}`).set(bearer(h.tokens.legal)), 400, 'TOO_MANY_PARAMETERS');
    const repeated = Array.from({ length: 3000 }, () => 'status=done').join('&');
    expectProblem(await rawExchange(server, `GET /api/v1/contracts?${repeated} HTTP/1.1\r\nHost: x\r\n\r\n`), 414, 'URI_TOO_LONG');
  });

  it('names a parameter given twice, in brackets, or unknown', async () => {
    const twice = await request(server).get('/api/v1/contracts?status=done&status=failed').set(bearer(h.tokens.legal));
    expect(expectProblem(twice, 400, 'VALIDATION_FAILED').detail).toContain('query.status');
    const brackets = await request(server).get('/api/v1/obligations?q[$ne]=x&type[]=a').set(bearer(h.tokens.legal));
    expect(expectProblem(brackets, 400, 'VALIDATION_FAILED').detail).toContain('"q[$ne]"');
    const unknown = await request(server).get('/api/v1/incidents?sort=title;DROP%20TABLE%20incidents').set(bearer(h.tokens.legal));
    expect(expectProblem(unknown, 400, 'VALIDATION_FAILED').detail).toContain('"sort"');
  });

  it('keeps serving on the same server afterwards', async () => {
    expect((await request(server).get('/healthz')).status).toBe(200);
    expect((await request(server).get('/api/v1/contracts').set(bearer(h.tokens.legal))).status).toBe(200);
  });
});

describe('unknown routes and wrong methods', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
  const documented = Object.entries(openapi.paths).map(([p, ops]) => [p, Object.keys(ops)] as const);

  it.each(documented)('%s: every method it lacks gets 405 METHOD_NOT_ALLOWED with Allow, before any token is asked for', async (template, methods) => {
    const url = template.replace('{id}', '00000000-0000-4000-8000-000000000000');
    const allow = [...methods.map((m) => m.toUpperCase()), ...(methods.includes('get') ? ['HEAD'] : [])].sort().join(', ');
    for (const method of METHODS.filter((m) => !methods.includes(m))) {
      const res = await request(h.app)[method](url);
      expect(expectProblem(res, 405, 'METHOD_NOT_ALLOWED').detail).toContain(method.toUpperCase());
      expect(res.headers.allow).toBe(allow);
    }
    const options = await request(h.app).options(url);
    expect([options.status, options.headers.allow]).toEqual([204, allow]);
  });

  it('answers an unknown route with 404 NOT_FOUND whatever the method, the case or the encoding', async () => {
    for (const [method, url] of [
      ['post', '/api/v1/nothing'],
      ['delete', '/api/v1/contracts/00000000-0000-4000-8000-000000000000/everything'],
      ['put', '/api/v1/../../etc/passwd'],
      ['get', '/api/v1/%2e%2e/%2e%2e/etc/passwd'],
      ['get', '/api/v1/contracts/00000000-0000-4000-8000-000000000000/file/..%2f..%2f..%2fetc%2fpasswd'],
      ['get', '/web/../../package.json'],
      ['get', '/.env'],
      ['get', '/js/..%2f..%2fsrc%2fconfig.ts'],
    ] as const) {
      const res = await request(h.app)[method](url).set(bearer(h.tokens.admin));
      expect([url, res.status]).toEqual([url, 404]);
      expectProblem(res, 404, 'NOT_FOUND');
    }
  });

  it('keeps serving after all of it', async () => {
    await stillServing(h);
  });
});

describe('ids in paths that are not UUIDs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  const withId = Object.entries(openapi.paths).flatMap(([p, ops]) => (p.includes('{id}') ? Object.keys(ops).map((m) => [`${m.toUpperCase()} ${p}`, m, p] as const) : []));
  const BAD = ['not-a-uuid', "1'%20OR%20'1'='1", '00000000-0000-4000-8000-0000000000000', '{00000000-0000-4000-8000-000000000000}', '%00', '..%2F..%2Fetc%2Fpasswd', '-1', 'null'];

  it.each(withId)('%s: 400 VALIDATION_FAILED naming path.id for each malformed id, 404 for an absent one', async (_name, method, template) => {
    const m = method as 'get' | 'post' | 'patch' | 'delete';
    const send = (req: request.Test) => (m === 'patch' ? req.send(template.startsWith('/api/v1/deadlines') ? { status: 'open' } : { severity: 'low' }) : req);
    for (const id of BAD) {
      const res = await send(request(h.app)[m](template.replace('{id}', id)).set(bearer(h.tokens.admin)));
      expect(expectProblem(res, 400, 'VALIDATION_FAILED').detail).toContain('path.id');
    }
    const absent = await send(request(h.app)[m](template.replace('{id}', '00000000-0000-4000-8000-000000000000')).set(bearer(h.tokens.admin)));
    expect(absent.status).toBe(404);
    expect(absent.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(absent.body.code).toMatch(/_NOT_FOUND$/);
  });
});

describe('multipart uploads', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  const TEXT = Buffer.from('The Supplier shall notify the Customer within 72 hours of a Security Incident.');
  const form = (fields: [string, string][]) => {
    let req = request(h.app).post('/api/v1/contracts').set(bearer(h.tokens.analyst));
    for (const [k, v] of fields) req = req.field(k, v);
    return req;
  };
  const nothingStored = async () => {
    expect((await h.store.listContracts({}, { limit: 10, offset: 0 })).total).toBe(0);
    expect(h.jobs.extracts).toEqual([]);
  };

  it('refuses an unknown field, naming it', async () => {
    const res = await form([['counterparty', 'Lumen'], ['role', 'customer'], ['counterpart', 'Lumen']]).attach('file', TEXT, 'c.txt');
    expect(expectProblem(res, 400, 'VALIDATION_FAILED').detail).toContain('"counterpart"');
    await nothingStored();
  });

  it('refuses the file in a field other than "file"', async () => {
    const res = await form([['counterparty', 'Lumen'], ['role', 'customer']]).attach('document', TEXT, 'c.txt');
    expectProblem(res, 400, 'TOO_MANY_FILES');
    await nothingStored();
  });

  it('refuses a field given twice, saying so', async () => {
    const res = await form([['counterparty', 'Lumen'], ['counterparty', 'Other'], ['role', 'customer']]).attach('file', TEXT, 'c.txt');
    expect(expectProblem(res, 400, 'VALIDATION_FAILED').detail).toBe('body.counterparty: must be given once, as text');
    await nothingStored();
  });

  it('refuses a NUL in a field and too many fields', async () => {
    expect(expectProblem(await form([['counterparty', 'Lu\u0000men'], ['role', 'customer']]).attach('file', TEXT, 'c.txt'), 400, 'VALIDATION_FAILED').detail).toContain(
      'body.counterparty',
    );
    const many = Array.from({ length: 12 }, (_, i) => [`f${i}`, 'x'] as [string, string]);
    expectProblem(await form(many).attach('file', TEXT, 'c.txt'), 413, 'FORM_TOO_LARGE');
    await nothingStored();
  });

  it('refuses a form with no boundary, a truncated form and a JSON upload', async () => {
    const noBoundary = await request(h.app).post('/api/v1/contracts').set(bearer(h.tokens.analyst)).set('Content-Type', 'multipart/form-data').send('--x\r\n');
    expectProblem(noBoundary, 400, 'MALFORMED_MULTIPART');
    const truncated = await request(h.app)
      .post('/api/v1/contracts')
      .set(bearer(h.tokens.analyst))
      .set('Content-Type', 'multipart/form-data; boundary=XX')
      .send('--XX\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nThe Supplier shall');
    expectProblem(truncated, 400, 'MALFORMED_MULTIPART');
    const json = await request(h.app).post('/api/v1/contracts').set(bearer(h.tokens.analyst)).send({ counterparty: 'Lumen', role: 'customer', file: TEXT.toString('base64') });
    expect(expectProblem(json, 415, 'UNSUPPORTED_MEDIA_TYPE').detail).toContain('multipart/form-data');
    await nothingStored();
  });

  it('keeps serving and still takes a good upload afterwards', async () => {
    await form([['counterparty', 'Lumen'], ['evil', '1'], ['role', 'customer']]).attach('file', TEXT, 'c.txt');
    const ok = await form([['counterparty', 'Lumen'], ['role', 'customer']]).attach('file', TEXT, 'c.txt');
    expect(ok.status).toBe(202);
    expect(h.jobs.extracts).toEqual([ok.body.id]);
  });
});

describe('hostile values reaching the database', () => {
  // the memory store cannot say what PostgreSQL does with these: this runs on the embedded database
  // (and on the PostgreSQL of DATABASE_URL when set)
  const modes: [string, Record<string, string>][] = [['embedded PGlite', {}]];
  if (process.env.DATABASE_URL) modes.push(['PostgreSQL', { DATABASE_URL: process.env.DATABASE_URL }]);

  describe.each(modes)('%s', (_mode, env) => {
    let db: ThrowAwayStore;
    let app: ReturnType<typeof createApp>;
    let legal: Record<string, string>;
    let responder: Record<string, string>;
    let analyst: Record<string, string>;
    beforeAll(async () => {
      const config = loadConfig({ PACTWATCH_DEPLOYMENT: 'hostile', PACTWATCH_LOG_LEVEL: 'silent', ...env });
      db = await openThrowAwayStore(config);
      app = createApp({ store: db.store, jobs: fakeJobs(), config, logger: pino({ level: 'silent' }) });
      legal = bearer(await createToken(db.store, config, { name: 'legal', role: 'legal' }, 'test'));
      responder = bearer(await createToken(db.store, config, { name: 'responder', role: 'responder' }, 'test'));
      analyst = bearer(await createToken(db.store, config, { name: 'analyst', role: 'analyst' }, 'test'));
      for (const name of ['Lumen Analytics', 'Northwind Security']) {
        const text = `${name} shall keep records.`;
        const res = await request(app).post('/api/v1/contracts').set(analyst).field('counterparty', name).field('role', 'customer').attach('file', Buffer.from(text), 'c.txt');
        expect(res.status).toBe(202);
        // as if processed: one clause and one obligation each, so the searches have something to (not) find
        const [stored] = await db.store.saveExtraction(res.body.id, text, [{ number: 1, start: 0, end: text.length }], [clause({ type: 'log_or_record_retention', text })]);
        await db.store.saveObligations(res.body.id, [{ ...obligation(0, { action: 'retain_logs', trigger: 'none', summary: 'Keep records' }), clauseId: stored.id }]);
      }
    }, 60_000);
    afterAll(async () => {
      await db?.close();
    });

    const SQLISH = ["' OR 1=1 --", "'; DROP TABLE contract; --", 'x" OR ""="', '1; SELECT pg_sleep(10)', '$1', '\\', "Robert'); DELETE FROM audit_event;--"];
    const LIKE = ['%', '_', '%%', '\\%', '[a-z]%'];
    const TSQUERY = ['a & b', '!x', 'a:*', '(a | b', "'unterminated", '<->', 'a <-> b', '&&&', ':::', '"', '-'];
    const PATHS = ['../../../../etc/passwd', '..\\..\\windows\\win.ini', '/dev/zero', 'file:///etc/shadow'];

    it('searches with SQL-, LIKE-, tsquery- and path-looking values as plain words', async () => {
      // the searches work at all
      expect((await request(app).get('/api/v1/obligations').query({ q: 'records' }).set(legal)).body.total).toBe(2);
      for (const value of [...SQLISH, ...LIKE, ...TSQUERY, ...PATHS]) {
        const obligations = await request(app).get('/api/v1/obligations').query({ q: value }).set(legal);
        expect([value, obligations.status, obligations.body.total]).toEqual([value, 200, 0]);
        const csv = await request(app).get('/api/v1/obligations.csv').query({ q: value, counterparty: value }).set(legal);
        expect([value, csv.status, csv.text.trim().split('\n').length]).toEqual([value, 200, 1]);
        // names match on their letters and digits ("a:*" finds "Lumen Analytics"): these must answer, and not error
        for (const [url, query] of [
          ['/api/v1/contracts', { counterparty: value }],
          ['/api/v1/counterparties', { q: value }],
        ] as const) {
          const res = await request(app).get(url).query(query).set(legal);
          expect([value, url, res.status]).toEqual([value, url, 200]);
          // a LIKE wildcard is a character like any other: it matches no name, rather than every name
          if (LIKE.includes(value)) expect([value, url, res.body.total]).toEqual([value, url, 0]);
        }
      }
      // and the tables are still there, whole
      expect((await request(app).get('/api/v1/contracts').set(legal)).body.total).toBe(2);
      expect((await request(app).get('/api/v1/obligations').set(legal)).body.total).toBe(2);
    });

    it('refuses NUL in query strings, JSON bodies and form fields with 400, where PostgreSQL would fail', async () => {
      for (const url of ['/api/v1/obligations?q=a%00b', '/api/v1/counterparties?q=a%00b', '/api/v1/contracts?counterparty=a%00b', '/api/v1/obligations.csv?trigger=a%00']) {
        const res = await request(app).get(url).set(legal);
        expect(expectProblem(res, 400, 'VALIDATION_FAILED').detail).toMatch(/^query\.\w+: /);
      }
      const body = await request(app).post('/api/v1/incidents').set(responder).set('Content-Type', 'application/json').send('{"title":"a\\u0000","origin":"ours"}');
      expectProblem(body, 400, 'VALIDATION_FAILED');
      const lone = await request(app).post('/api/v1/incidents').set(responder).set('Content-Type', 'application/json').send('{"title":"a\\ud800","origin":"ours"}');
      expectProblem(lone, 400, 'VALIDATION_FAILED');
      const field = await request(app).post('/api/v1/contracts').set(analyst).field('counterparty', 'a\u0000').field('role', 'customer').attach('file', Buffer.from('Text with a NUL name.'), 'c.txt');
      expectProblem(field, 400, 'VALIDATION_FAILED');
    });

    it('stores SQL-looking text verbatim and gives it back unchanged', async () => {
      const title = SQLISH.join(' | ');
      const created = await request(app)
        .post('/api/v1/incidents')
        .set(responder)
        .send({ title, description: PATHS.join('\n'), origin: 'vendor', counterparties: ['Lumen Analytics'], awareAt: '2026-03-02T09:00:00Z' });
      expect(created.status).toBe(201);
      const read = await request(app).get(`/api/v1/incidents/${created.body.id}`).set(legal);
      expect([read.body.title, read.body.description]).toEqual([title, PATHS.join('\n')]);
      const unknown = await request(app).post('/api/v1/incidents').set(responder).send({ title: 'x', origin: 'vendor', counterparties: ["Lumen' OR '1'='1"] });
      expect(expectProblem(unknown, 400, 'UNKNOWN_COUNTERPARTY').detail).toContain("Lumen' OR '1'='1");
      expect((await request(app).get('/api/v1/incidents').set(legal)).body.total).toBe(1);
    });
  });
});

describe('error codes', () => {
  it('lists on /api/v1/docs every code the HTTP layer can answer with', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'http');
    const used = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      for (const m of source.matchAll(/(?:AppError\(|problem\(\d+, |\[\d+, )'([A-Z][A-Z0-9_]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((c) => !(c in ERROR_CODES))).toEqual([]);
  });
});
