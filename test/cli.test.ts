import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** The command line as a user runs it: a real process, real files, exit codes. */
const run = promisify(execFile);
const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'pactwatch.js');
const FIXTURE = (ext: string) => path.join(ROOT, 'fixtures', 'contracts', `saas-dpa-lumen.${ext}`);

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pactwatch-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('extract one file prints its clauses as JSON', async () => {
  const r = await cli(['extract', FIXTURE('txt')]);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.file).toBe(FIXTURE('txt'));
  expect(out.pages.length).toBeGreaterThan(1);
  const notice = out.clauses.find((c: { type: string; fields: { duration: number } }) => c.type === 'breach_notification' && c.fields.duration === 48);
  expect(notice).toMatchObject({ fields: { unit: 'hours', qualifier: 'without undue delay', notifier: 'Processor', recipient: 'Controller' } });
  expect(Object.keys(notice).sort()).toEqual(['confidence', 'end', 'fields', 'page', 'ruleId', 'start', 'text', 'type']);
});

test('many files with --out: one JSON file each, progress on stderr, failures reported with their codes, exit 1', async () => {
  const empty = path.join(tmp, 'empty.pdf');
  fs.writeFileSync(empty, '');
  const out = path.join(tmp, 'out');
  const r = await cli(['extract', FIXTURE('pdf'), FIXTURE('docx'), empty, path.join(tmp, 'missing.txt'), '--out', out]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/\[1\/4\] .*saas-dpa-lumen\.pdf: \d+ clause\(s\)/);
  expect(r.stderr).toMatch(/\[3\/4\] .*empty\.pdf: failed EMPTY_FILE/);
  expect(r.stderr).toMatch(/\[4\/4\] .*missing\.txt: failed NOT_FOUND/);
  expect(r.stderr).toMatch(/2 of 4 file\(s\) processed, 2 failed/);
  // the PDF and the DOCX share a base name: the second one does not overwrite the first
  expect(fs.readdirSync(out).sort()).toEqual(['saas-dpa-lumen-docx.json', 'saas-dpa-lumen.json']);
  const pdf = JSON.parse(fs.readFileSync(path.join(out, 'saas-dpa-lumen.json'), 'utf8'));
  expect(Object.keys(pdf)).toEqual(['file', 'pages', 'clauses']);
  expect(pdf.clauses.length).toBeGreaterThan(5);
});

test('--format table is readable text', async () => {
  const r = await cli(['extract', FIXTURE('txt'), '--format', 'table']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/breach_notification\s+duration=48 unit=hours/);
});

test('the format comes from the bytes, not the name', async () => {
  const disguised = path.join(tmp, 'contract.txt');
  fs.copyFileSync(FIXTURE('pdf'), disguised);
  const r = await cli(['extract', disguised]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).pages.length).toBe(8);
});

test('a file over the configured limit fails with FILE_TOO_LARGE', async () => {
  const r = await cli(['extract', FIXTURE('txt')], { PACTWATCH_MAX_FILE_BYTES: '100' });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/failed FILE_TOO_LARGE/);
});

test('a bad configuration value stops start-up naming the variable', async () => {
  const r = await cli(['extract', FIXTURE('txt')], { PACTWATCH_MAX_FILE_BYTES: 'lots' });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/PACTWATCH_MAX_FILE_BYTES: must be a positive whole number/);
});

test('a broken rule stops start-up naming the file', async () => {
  const rules = path.join(tmp, 'rules');
  fs.cpSync(path.join(ROOT, 'rules'), rules, { recursive: true });
  const broken = path.join(rules, 'clauses', 'breach_notification', 'notice-of-incident.yaml');
  fs.writeFileSync(broken, fs.readFileSync(broken, 'utf8').replace('type: breach_notification', 'type: breach_notificaton'));
  const r = await cli(['rules', 'check'], { PACTWATCH_RULES_DIR: rules });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('notice-of-incident.yaml');
  expect(r.stderr).toMatch(/unknown clause type "breach_notificaton"|must match its folder/);
});

test('a broken policy file stops serve before it opens anything, naming the file and the fault', async () => {
  const policy = path.join(tmp, 'our-policy.yaml');
  fs.writeFileSync(policy, 'deadline_targets:\n  default: { amount: 24, unit: fortnights }\n');
  const dataDir = path.join(tmp, 'never-opened');
  const r = await cli(['serve'], { PACTWATCH_POLICY_FILE: policy, PACTWATCH_DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`policy file ${policy}: deadline_targets.default.unit`);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(fs.existsSync(dataDir)).toBe(false);
});

test('usage errors exit 2', async () => {
  expect((await cli(['extract'])).code).toBe(2);
  expect((await cli(['extract', FIXTURE('txt'), '--format', 'xml'])).code).toBe(2);
  expect((await cli(['extract', FIXTURE('txt'), '--bogus'])).code).toBe(2);
  expect((await cli(['frobnicate'])).code).toBe(2);
});
