import path from 'node:path';
import express from 'express';

/** The browser workspace: plain HTML, CSS and ES modules in `web/`, served as they are (no build step). */
export const WEB_ROOT = path.resolve(__dirname, '..', '..', 'web');

/**
 * Every asset comes from this origin; scripts and styles only from files (no
 * inline code), so text from a document can never run as script even if it
 * slipped past the page's escaping.
 */
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "frame-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function registerWebPages(app: express.Express): void {
  app.use((req, res, next) => {
    if (!req.path.startsWith('/api/')) {
      res.setHeader('Content-Security-Policy', PAGE_POLICY);
      res.setHeader('Referrer-Policy', 'no-referrer');
    }
    next();
  });
  app.use(express.static(WEB_ROOT, { index: 'index.html', dotfiles: 'ignore', redirect: false }));
}
