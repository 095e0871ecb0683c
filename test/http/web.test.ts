import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { WEB_ROOT } from '../../src/http/web';
import { harness } from './app-harness';

function assets(dir = WEB_ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? assets(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('the pages are served by the app itself', () => {
  it('answers / with the workspace page, under a policy that allows only its own scripts and styles', async () => {
    const { app } = await harness();
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<script type="module" src="/js/main.js">');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('serves every script, style and icon the page loads, and the modules they import', async () => {
    const { app } = await harness();
    const index = readFileSync(path.join(WEB_ROOT, 'index.html'), 'utf8');
    const referenced = [...index.matchAll(/(?:src|href)="(\/[^"#]*)"/g)].map((m) => m[1]);
    const imports = assets()
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/from '\.\/([\w-]+\.js)'/g)].map((m) => `/js/${m[1]}`));
    const wanted = [...new Set([...referenced, ...imports])];
    expect(wanted).toEqual(expect.arrayContaining(['/app.css', '/js/main.js', '/js/review.js']));
    for (const url of wanted) {
      const res = await request(app).get(url);
      expect([url, res.status]).toEqual([url, 200]);
    }
  });

  it('loads nothing from another origin: no CDN, no remote fonts', () => {
    for (const file of assets()) {
      const text = readFileSync(file, 'utf8');
      // links to regulation texts come from the API's data, never from the assets
      expect([path.relative(WEB_ROOT, file), text.match(/(?:src|href|url\()\s*=?\s*["']?(?:https?:)?\/\/[^"')\s]+/g)]).toEqual([path.relative(WEB_ROOT, file), null]);
      expect([path.relative(WEB_ROOT, file), /\bimport\s*\(?\s*['"]https?:/.test(text)]).toEqual([path.relative(WEB_ROOT, file), false]);
    }
  });

  it('never serves a file from outside the pages folder', async () => {
    const { app } = await harness();
    for (const url of ['/../package.json', '/js/../../package.json', '/%2e%2e/package.json', '/.env', '/js/%2e%2e%2f%2e%2e%2fpackage.json']) {
      const res = await request(app).get(url);
      expect([url, res.status]).toEqual([url, 404]);
      expect(res.text).not.toContain('"name": "pactwatch"');
    }
  });
});
