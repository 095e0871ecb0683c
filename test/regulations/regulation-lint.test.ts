import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { loadRegulations, RegulationError, type Regulation } from '../../src/regulations';
import { projectRegulationFiles, RULES_DIR } from './helpers';

/**
 * Lints the regulation rules as data: each duty cites its source, links the
 * official text and says when it was last checked; each is shown applying and
 * not applying by the examples; and a broken file stops loading with its path
 * and its fault.
 */
const files = projectRegulationFiles();
const duties = files.flatMap((f) => f.regulations.map((r) => ({ file: f, r })));

test('the regimes the incident work needs are all there', () => {
  const regimes = files.map((f) => f.doc.regime);
  for (const r of ['gdpr', 'uk_gdpr', 'hipaa', 'nydfs', 'sec', 'nis2', 'dora', 'cert_in', 'au_ndb', 'sg_pdpa', 'br_lgpd']) expect(regimes).toContain(r);
  expect(regimes.filter((r) => r.startsWith('us_')).length).toBeGreaterThanOrEqual(3);
});

test('every duty has a citation, an official https link and the date its text was last checked', () => {
  const faults: string[] = [];
  for (const { r } of duties) {
    if (!r.citation.trim()) faults.push(`${r.id}: no citation`);
    if (!r.url || !/^https:\/\/[^\s]+$/.test(r.url)) faults.push(`${r.id}: no https url`);
    if (!DateTime.fromISO(r.lastChecked).isValid) faults.push(`${r.id}: last_checked "${r.lastChecked}" is not a date`);
  }
  expect(faults).toEqual([]);
});

test('every duty is shown by its file\'s examples both applying and not applying', () => {
  const faults: string[] = [];
  for (const { file, r } of duties) {
    const applies = file.doc.examples.filter((e) => e.expect[r.id] !== undefined && e.expect[r.id] !== 'not_applicable');
    if (applies.length === 0) faults.push(`${r.id}: no example where it applies`);
    if (applies.length === file.doc.examples.length) faults.push(`${r.id}: no example where it does not apply`);
  }
  expect(faults).toEqual([]);
});

test('duty ids are unique and start with their regime, named after the file', () => {
  const ids = duties.map(({ r }) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const f of files) {
    expect(path.basename(f.file, '.yaml').replace(/-/g, '_')).toBe(f.doc.regime);
    for (const r of f.regulations) expect(r.id.startsWith(`${f.doc.regime}.`)).toBe(true);
  }
});

test('every example incident names a real time zone', () => {
  const bad = files.flatMap((f) => f.doc.examples.filter((e) => !DateTime.now().setZone(e.incident.timeZone).isValid).map((e) => `${f.doc.regime}: ${e.name}`));
  expect(bad).toEqual([]);
});

describe('a broken regulation file stops loading, naming the file and the fault', () => {
  const good = fs.readFileSync(path.join(RULES_DIR, 'regulations', 'sec.yaml'), 'utf8');
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactwatch-regulations-'));
    fs.mkdirSync(path.join(dir, 'regulations'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function loadWith(name: string, text: string): () => Regulation[] {
    fs.writeFileSync(path.join(dir, 'regulations', name), text);
    return () => loadRegulations(dir);
  }

  test('the project files load', () => {
    expect(loadWith('sec.yaml', good)().map((r) => r.id)).toEqual(['sec.form-8k-item-105']);
  });

  test.each([
    ['invalid YAML', 'sec.yaml', `${good}\n  - : [`, /sec\.yaml: invalid YAML/],
    ['a duty without a citation', 'sec.yaml', good.replace(/^ {4}citation: .*\n/m, ''), /sec\.yaml: duties\.0\.citation/],
    ['a url that is not https', 'sec.yaml', good.replace('https://www.sec.gov/files/form8-k.pdf', 'http://www.sec.gov/files/form8-k.pdf'), /sec\.yaml: duties\.0\.url: link the official text over https/],
    ['a last_checked that is not a date', 'sec.yaml', good.replace(/^ {4}last_checked: .*$/m, '    last_checked: 2026-02-30'), /sec\.yaml: duties\.0\.last_checked: a date as YYYY-MM-DD/],
    ['an unknown clock', 'sec.yaml', good.replace('from: [determinedAt]', 'from: [filedAt]'), /sec\.yaml: duties\.0\.clock\.from\.0/],
    ['business days without a holiday region', 'sec.yaml', good.replace('    holiday_region: US\n', ''), /sec\.yaml: duties\.0: business days need a `holiday_region`/],
    ['both a period and a qualifier', 'sec.yaml', good.replace('    period: { amount: 4, unit: business_days }', '    period: { amount: 4, unit: business_days }\n    qualifier: promptly'), /give either a period or a qualifier/],
    ['a misspelt key', 'sec.yaml', good.replace('    recipient: SEC', '    recipent: SEC'), /sec\.yaml: duties\.0/],
    ['a regime that is not the file name', 'sec-8k.yaml', good, /sec-8k\.yaml: regime "sec" must match the file's name: "sec_8k"/],
    ['an id outside its regime', 'sec.yaml', good.replace('id: sec.form-8k-item-105', 'id: edgar.form-8k-item-105'), /sec\.yaml: duty "edgar\.form-8k-item-105" must start with its regime/],
    ['an example expecting an unknown duty', 'sec.yaml', good.replace('      sec.form-8k-item-105: { due: 2026-11-27T15:00:00Z }', '      sec.form-8k: { due: 2026-11-27T15:00:00Z }'), /sec\.yaml: example "Thanksgiving is skipped" expects unknown duty "sec\.form-8k"/],
    ['an example time without its offset', 'sec.yaml', good.replace('determinedAt: 2026-11-20T15:00:00Z', 'determinedAt: 2026-11-20 15:00'), /sec\.yaml: examples\.1\.incident\.determinedAt/],
    ['a file that is not YAML', 'sec.txt', good, /sec\.txt: regulation files end in \.yaml/],
  ])('%s', (_what, name, text, message) => {
    const load = loadWith(name, text);
    expect(load).toThrow(RegulationError);
    expect(load).toThrow(message);
  });

  test('the same duty in two files', () => {
    fs.writeFileSync(path.join(dir, 'regulations', 'sec.yaml'), good);
    fs.writeFileSync(path.join(dir, 'regulations', 'sec2.yaml'), good.replace('regime: sec', 'regime: sec2').replace('id: sec.form', 'id: sec2.form').replace(/sec\.form-8k-item-105:/g, 'sec2.form-8k-item-105:'));
    expect(loadRegulations(dir)).toHaveLength(2);
    fs.writeFileSync(path.join(dir, 'regulations', 'sec2.yaml'), good.replace('regime: sec', 'regime: sec2'));
    expect(() => loadRegulations(dir)).toThrow(/sec2\.yaml: duty "sec\.form-8k-item-105" must start with its regime/);
  });

  test('a missing regulations folder', () => {
    fs.rmSync(path.join(dir, 'regulations'), { recursive: true });
    expect(() => loadRegulations(dir)).toThrow(/regulations: cannot read the regulations folder/);
  });
});
