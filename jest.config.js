// Tests that need PostgreSQL and Redis together run only when both are
// configured (CI sets them; see .ci/run). The other integration suites run on
// the embedded database and in-process jobs as well, so a newcomer's
// `npm test` needs nothing installed.
const withServices = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
const withRedis = Boolean(process.env.REDIS_URL);
const needsServices = ['/test/integration/worker-kill\\.test\\.ts$', '/test/integration/faults-(redis-outage|graceful-shutdown|postgres-restart)\\.test\\.ts$'];
const needsRedis = ['/test/reminders/bullmq\\.test\\.ts$'];
// The browser suites drive Debian's Chromium (.ci/run installs it); without it they are left out.
const chromium = process.env.PACTWATCH_CHROMIUM || '/usr/bin/chromium';
const withChromium = require('node:fs').existsSync(chromium);
const needsChromium = ['/test/browser/'];
// OCR of scanned PDFs needs Tesseract and poppler's pdftoppm on PATH (.ci/run installs them); the refusals run anyway.
const onPath = (bin) => (process.env.PATH || '').split(':').some((d) => d && require('node:fs').existsSync(require('node:path').join(d, bin)));
const withOcr = onPath('tesseract') && onPath('pdftoppm');
const needsOcr = ['/test/ocr/ocr\\.test\\.ts$', '/test/ocr/ocr-service\\.test\\.ts$'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(withServices ? [] : needsServices), ...(withRedis ? [] : needsRedis), ...(withChromium ? [] : needsChromium), ...(withOcr ? [] : needsOcr)],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
};
