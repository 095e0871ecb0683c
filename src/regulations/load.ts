import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { type DataCategory } from '../obligations/incident-types';
import { type Regulation } from './index';
import { RegulationFileSchema, type DutyDoc, type RegulationFile } from './schema';

/**
 * Reads rules/regulations/*.yaml. Any fault (unreadable file, bad YAML, a
 * schema violation, an id outside its regime, a duplicate id, an example that
 * names an unknown duty) throws a RegulationError naming the file and the
 * fault, so a broken rule stops start-up instead of silently owing nothing.
 */

export class RegulationError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'RegulationError';
  }
}

export interface LoadedRegulationFile {
  file: string;
  doc: RegulationFile;
  regulations: Regulation[];
}

function readYaml(file: string): unknown {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new RegulationError(file, `cannot read: ${(err as Error).message}`);
  }
  const doc = YAML.parseDocument(raw, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new RegulationError(file, `invalid YAML: ${doc.errors[0].message}`);
  return doc.toJS();
}

function toRegulation(d: DutyDoc, regime: string, file: string): Regulation {
  const w = d.applies_when;
  return {
    id: d.id,
    regime,
    title: d.title,
    citation: d.citation,
    url: d.url,
    lastChecked: d.last_checked,
    file,
    appliesWhen: {
      jurisdictions: w.jurisdictions,
      dataCategories: w.data_categories as DataCategory[] | undefined,
      sectors: w.sectors,
      ourDataRole: w.our_data_role,
      origin: w.origin,
      severity: w.severity,
      affectedCount: w.affected_count ? { gte: w.affected_count.gte, gt: w.affected_count.gt, lt: w.affected_count.lt, ifUnknown: w.affected_count.if_unknown } : undefined,
      extortionPayment: w.extortion_payment,
    },
    clock: { from: d.clock.from, startsWhen: d.clock.starts_when, anchor: d.clock.anchor },
    period: d.period ?? null,
    qualifier: d.qualifier ?? null,
    noLaterThan: d.no_later_than ?? null,
    endOfDay: d.end_of_day,
    holidayRegion: d.holiday_region,
    recipient: d.recipient,
    notifier: d.notifier,
    method: d.method,
    content: d.content,
    notes: d.notes ?? null,
  };
}

function readOne(file: string, shownAs: string): LoadedRegulationFile {
  const parsed = RegulationFileSchema.safeParse(readYaml(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new RegulationError(file, `${where}: ${issue.message}`);
  }
  const doc = parsed.data;
  const expectedRegime = path.basename(file).replace(/\.ya?ml$/, '').replace(/-/g, '_');
  if (doc.regime !== expectedRegime) throw new RegulationError(file, `regime "${doc.regime}" must match the file's name: "${expectedRegime}"`);
  const ids = new Set<string>();
  for (const d of doc.duties) {
    if (!d.id.startsWith(`${doc.regime}.`)) throw new RegulationError(file, `duty "${d.id}" must start with its regime: "${doc.regime}."`);
    if (ids.has(d.id)) throw new RegulationError(file, `duty "${d.id}" appears twice`);
    ids.add(d.id);
  }
  for (const ex of doc.examples) {
    for (const id of Object.keys(ex.expect)) {
      if (!ids.has(id)) throw new RegulationError(file, `example "${ex.name}" expects unknown duty "${id}"`);
    }
  }
  return { file, doc, regulations: doc.duties.map((d) => toRegulation(d, doc.regime, shownAs)) };
}

/** Every regulation file under `<rulesDir>/regulations`, validated, in file-name order. */
export function readRegulationFiles(rulesDir: string): LoadedRegulationFile[] {
  const dir = path.join(rulesDir, 'regulations');
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch (err) {
    throw new RegulationError(dir, `cannot read the regulations folder: ${(err as Error).message}`);
  }
  const out: LoadedRegulationFile[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    if (!/\.ya?ml$/.test(name)) throw new RegulationError(file, 'regulation files end in .yaml');
    const loaded = readOne(file, path.relative(process.cwd(), file) || file);
    for (const r of loaded.regulations) {
      const other = seen.get(r.id);
      if (other) throw new RegulationError(file, `duty "${r.id}" is also defined in ${other}`);
      seen.set(r.id, file);
    }
    out.push(loaded);
  }
  return out;
}

/** Every duty of every regime, validated; load once at start-up. */
export function loadRegulations(rulesDir: string): Regulation[] {
  return readRegulationFiles(rulesDir).flatMap((f) => f.regulations);
}
