/**
 * Turns extracted clauses into obligations: who owes what to whom, when, and after what.
 *
 * Pure and deterministic: the same clauses and role always give the same obligations in the
 * same order (clause order, then a fixed order within a clause), so re-deriving a contract can
 * replace its obligations wholesale.
 *
 * Which side a party term stands for:
 *   1. "both" (the extractor's word for "each party" / "either party") is both sides.
 *   2. Generic role words decide on their own: Provider, Supplier, Vendor, Processor,
 *      Consultant, Business Associate, "we"... are the provider's side; Customer, Client,
 *      Controller, Authority, Bank, Covered Entity, "you"... are the customer's. Plain-English
 *      terms in "we"/"you" are written by the vendor, so "we" is the provider.
 *   3. Any other term ("Kestrel", "Company", "Orbital") is looked up in the contract's parties
 *      clause, by defined term or by name. It takes the side of the recorded counterparty when its
 *      name matches; otherwise the side of its own role when that is generic (a name used as a
 *      term); otherwise the side opposite the other party's generic role. So "Company" is the
 *      provider next to a "Customer" and the customer next to a "Supplier".
 *   4. A term still unknown (both parties named by their own terms and no counterparty name to
 *      match) falls back to the side that usually owes that kind of duty: the provider for
 *      incident notice, data exit, sub-processors, audits, insurance, service levels, logs and
 *      residency. The other party of an obligation defaults to the opposite side.
 * Our role then maps a side to 'us' or 'counterparty'.
 */
import { type Clause } from '../extract';
import { everyPeriod as every, spellPeriod as spell } from './deadline-text';
import {
  type DeadlineUnit,
  type DeriveInput,
  type ObligationAction,
  type ObligationDeadline,
  type ObligationDraft,
  type ObligationTrigger,
  type Party,
} from './types';

type Side = 'provider' | 'customer' | 'both';
type Fields = Clause['fields'];

const BOTH_TERMS = new Set(['both', 'each party', 'either party', 'neither party', 'parties', 'all parties', 'each of the parties']);

const PROVIDER_TERMS = new Set([
  'provider', 'service provider', 'services provider', 'managed service provider', 'supplier', 'vendor', 'seller',
  'processor', 'data processor', 'sub-processor', 'subprocessor', 'data importer', 'importer',
  'contractor', 'subcontractor', 'sub-contractor', 'consultant', 'licensor', 'business associate', 'host',
  'we', 'us', 'our',
]);

const CUSTOMER_TERMS = new Set([
  'customer', 'client', 'controller', 'data controller', 'data exporter', 'exporter', 'licensee', 'subscriber',
  'authority', 'contracting authority', 'bank', 'covered entity', 'prime contractor', 'reseller', 'buyer', 'purchaser',
  'agency', 'you', 'your',
]);

/** Auditors that are not a party: regulators and independent auditors inspect the provider for the customer. */
const OUTSIDE_AUDITOR = /regulat|supervis|independent|third[- ]party|external|auditor|examiner|secretary|government|agency/i;

const COMPANY_FORMS =
  /\b(incorporated|inc|llc|l l c|ltd|limited|corp|corporation|co|company|plc|gmbh|pty|dac|designated activity company|se|ag|llp|lp|pte|nv|bv|sa|kk)\b/g;

function normTerm(term: string): string {
  return term
    .toLowerCase()
    .replace(/[’']s$/, '')
    .replace(/^(the|a|an)\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function normName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9&]+/g, ' ')
    .replace(COMPANY_FORMS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "Palisade" matches "Palisade Data Labs, LLC": equal, or one the other's leading words. */
function namesMatch(a: string, b: string): boolean {
  const x = normName(a);
  const y = normName(b);
  if (!x || !y) return false;
  return x === y || y.startsWith(`${x} `) || x.startsWith(`${y} `);
}

function genericSide(term: string): Side | null {
  const t = normTerm(term);
  if (BOTH_TERMS.has(t)) return 'both';
  if (PROVIDER_TERMS.has(t)) return 'provider';
  if (CUSTOMER_TERMS.has(t)) return 'customer';
  return null;
}

function opposite(side: Side): Side {
  return side === 'both' ? 'both' : side === 'provider' ? 'customer' : 'provider';
}

interface PartyEntry {
  name: string | null;
  role: string;
}

class SideResolver {
  private readonly parties: PartyEntry[];
  private readonly ourSide: Side;

  constructor(
    clauses: Clause[],
    ourRole: 'customer' | 'provider',
    private readonly counterpartyName: string | undefined,
  ) {
    this.ourSide = ourRole;
    const seen = new Set<string>();
    this.parties = [];
    for (const clause of clauses) {
      if (clause.type !== 'parties' || !Array.isArray(clause.fields.parties)) continue;
      for (const p of clause.fields.parties as unknown[]) {
        const entry = p as Partial<PartyEntry> | null;
        if (!entry || typeof entry.role !== 'string') continue;
        const key = normTerm(entry.role);
        if (seen.has(key)) continue;
        seen.add(key);
        this.parties.push({ name: typeof entry.name === 'string' ? entry.name : null, role: entry.role });
      }
    }
  }

  toParty(side: Side): Party {
    if (side === 'both') return 'both';
    return side === this.ourSide ? 'us' : 'counterparty';
  }

  resolve(term: string | null): Side | null {
    if (term === null) return null;
    const generic = genericSide(term);
    if (generic) return generic;

    const t = normTerm(term);
    const entry = this.parties.find((p) => normTerm(p.role) === t) ?? this.parties.find((p) => p.name !== null && namesMatch(term, p.name));
    const theirSide = opposite(this.ourSide);
    if (entry) {
      const other = this.parties.length === 2 ? this.parties.find((p) => p !== entry) : undefined;
      const cp = this.counterpartyName;
      if (cp && entry.name && namesMatch(entry.name, cp)) return theirSide;
      if (cp && other?.name && namesMatch(other.name, cp)) return this.ourSide;
      const own = genericSide(entry.role);
      if (own) return own;
      const otherSide = other ? genericSide(other.role) : null;
      if (otherSide === 'provider' || otherSide === 'customer') return opposite(otherSide);
    }
    if (this.counterpartyName && namesMatch(term, this.counterpartyName)) return theirSide;
    return null;
  }

  /** The owing side and the owed side of a duty, each from its term or, failing that, from the other. */
  pair(obligorTerm: string | null, beneficiaryTerm: string | null, usualObligor: Side): { obligor: Side; beneficiary: Side } {
    const b = this.resolve(beneficiaryTerm);
    const obligor = this.resolve(obligorTerm) ?? (b ? opposite(b) : usualObligor);
    return { obligor, beneficiary: b ?? opposite(obligor) };
  }
}

// ---- field access: clause fields are loosely typed, so every read checks the shape ----

const UNITS: readonly DeadlineUnit[] = ['seconds', 'minutes', 'hours', 'days', 'business_days', 'weeks', 'months', 'years'];

interface Period {
  amount: number;
  unit: DeadlineUnit;
}

function str(fields: Fields, key: string): string | null {
  const v = fields[key];
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function num(fields: Fields, key: string): number | null {
  const v = fields[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function bool(fields: Fields, key: string): boolean | null {
  const v = fields[key];
  return typeof v === 'boolean' ? v : null;
}

function list(fields: Fields, key: string): string[] {
  const v = fields[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function unitOf(v: unknown): DeadlineUnit | null {
  return typeof v === 'string' && (UNITS as readonly string[]).includes(v) ? (v as DeadlineUnit) : null;
}

function period(fields: Fields, key: string): Period | null {
  const v = fields[key] as unknown;
  if (typeof v !== 'object' || v === null) return null;
  const { duration, unit } = v as { duration?: unknown; unit?: unknown };
  const u = unitOf(unit);
  return typeof duration === 'number' && Number.isFinite(duration) && u ? { amount: duration, unit: u } : null;
}

/** The clause's own duration + unit pair (breach_notification, data_exit). */
function ownPeriod(fields: Fields): Period | null {
  const amount = num(fields, 'duration');
  const unit = unitOf(fields.unit);
  return amount !== null && unit ? { amount, unit } : null;
}

function deadlineOf(p: Period | null, qualifier: string | null = null, extra: { recurring?: boolean; advance?: boolean } = {}): ObligationDeadline | null {
  if (!p && !qualifier) return null;
  const deadline: ObligationDeadline = { amount: p?.amount ?? null, unit: p?.unit ?? null, qualifier, recurring: extra.recurring ?? false };
  if (extra.advance) deadline.advance = true;
  return deadline;
}

// ---- wording ----

/** "30 days' notice", "1 month's notice" */
function noticeOf(p: Period): string {
  return p.amount === 1 ? `${spell(p)}'s notice` : `${spell(p)}' notice`;
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function orWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function money(amount: number, currency: string | null): string {
  const digits = Number.isInteger(amount) ? String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(amount);
  return currency ? `${currency} ${digits}` : digits;
}

/** Within-a-limit phrase: "without undue delay and within 72 hours of becoming aware". */
function timing(p: Period | null, qualifier: string | null, clock: string | null): string {
  if (p && qualifier) return ` ${qualifier} and within ${spell(p)}${clock ? ` of ${clock}` : ''}`;
  if (p) return ` within ${spell(p)}${clock ? ` of ${clock}` : ''}`;
  if (qualifier) return ` ${qualifier}${clock ? ` after ${clock}` : ''}`;
  return '';
}

// ---- incident notice ----

const CLOCK_WORDS: Record<string, string> = {
  awareness: 'becoming aware',
  discovery: 'discovery',
  confirmation: 'confirmation',
  suspicion: 'first suspecting it',
  determination: 'determining it occurred',
  occurrence: 'the incident',
};

const PERSONAL_DATA_BREACH =
  /personal data breach|breach of (unsecured )?(personal data|personal information|protected health information|phi)|(personal information|privacy|eligible data) breach|breach of security leading to/i;

function incidentTrigger(clock: string | null, text: string): ObligationTrigger {
  if (clock === 'suspicion') return 'security_incident_suspected';
  if (clock === 'confirmation' || clock === 'determination') return 'security_incident_confirmed';
  if (PERSONAL_DATA_BREACH.test(text)) return 'personal_data_breach';
  return 'security_incident';
}

const INCIDENT_WORDS: Partial<Record<ObligationTrigger, string>> = {
  security_incident_suspected: 'a suspected security incident',
  security_incident_confirmed: 'a confirmed security incident',
  personal_data_breach: 'a personal data breach',
  security_incident: 'a security incident',
};

/** Where a report or update clock runs to, when the clause says. */
function incidentEnd(text: string): 'containment' | 'resolution' | null {
  if (/contain/i.test(text)) return 'containment';
  if (/resol|closed|closure|over\b/i.test(text)) return 'resolution';
  return null;
}

// ---- labels ----

const COVERAGE_WORDS: Record<string, string> = {
  cyber: 'cyber',
  professional_liability: 'professional liability',
  general_liability: 'general liability',
  workers_compensation: "workers' compensation",
  employers_liability: "employer's liability",
  crime: 'crime',
  product_liability: 'product liability',
  auto_liability: 'auto liability',
  umbrella: 'umbrella',
};

const REPORT_WORDS: Record<string, string> = {
  soc2: 'SOC 2',
  soc1: 'SOC 1',
  iso27001: 'ISO 27001',
  pci_dss: 'PCI DSS',
  penetration_test: 'penetration test',
  hitrust: 'HITRUST',
};

const RETAINED_WORDS: Record<string, string> = {
  logs: 'logs',
  security_logs: 'security logs',
  audit_logs: 'audit logs',
  records: 'records',
  backups: 'backups',
};

const SCOPE_WORDS: Record<string, string> = {
  ip_infringement: 'IP infringement',
  data_breach: 'data breaches',
  violation_of_law: 'violations of law',
  third_party_claims: 'third-party claims',
  bodily_injury_property: 'bodily injury and property damage',
  negligence_misconduct: 'negligence or misconduct',
  breach_of_confidentiality: 'breaches of confidentiality',
  breach_of_agreement: 'breaches of the agreement',
};

const REGION_WORDS: Record<string, string> = {
  EU: 'the EU',
  EEA: 'the EEA',
  UK: 'the UK',
  US: 'the US',
  CH: 'Switzerland',
  CA: 'Canada',
  AU: 'Australia',
  SG: 'Singapore',
  IN: 'India',
  JP: 'Japan',
  BR: 'Brazil',
};

const EXCEPTION_WORDS: Record<string, string> = {
  affiliates: 'to an affiliate',
  change_of_control: 'on a change of control',
  merger: 'on a merger',
  sale_of_assets: 'on a sale of assets',
};

const words = (values: string[], labels: Record<string, string>) => values.map((v) => labels[v] ?? v.replace(/_/g, ' '));

// ---- derivation ----

interface Emit {
  (action: ObligationAction, parts: { obligor: Side; beneficiary: Side; trigger: ObligationTrigger; deadline: ObligationDeadline | null; summary: string; details?: Record<string, unknown> }): void;
}

function deriveFromClause(clause: Clause, clauses: Clause[], sides: SideResolver, emit: Emit, out: ObligationDraft[]): void {
  const f = clause.fields;
  switch (clause.type) {
    case 'breach_notification': {
      const notifier = str(f, 'notifier');
      const recipient = str(f, 'recipient');
      const { obligor, beneficiary } = sides.pair(notifier, recipient, 'provider');
      const clock = str(f, 'trigger');
      const initial = ownPeriod(f);
      const qualifier = str(f, 'qualifier');
      const updates = period(f, 'update_interval');
      const report = period(f, 'report_deadline');
      const content = list(f, 'content');
      const method = list(f, 'method');
      const terms = { notifierTerm: notifier, recipientTerm: recipient };
      const sideObligor = sides.toParty(obligor);
      const previous = [...out].reverse().find((o) => o.action === 'notify_incident' && o.obligor === sideObligor);
      let trigger = incidentTrigger(clock, clause.text);
      // follow-up sentences ("updates every 24 hours until the breach is contained") concern the
      // incident of the notice before them, whose sentence says what kind of incident it is
      if (!initial && !qualifier && trigger === 'security_incident' && previous) trigger = previous.trigger;
      const incident = INCIDENT_WORDS[trigger] ?? INCIDENT_WORDS.security_incident!;

      // A sentence that only lists what the notice must say belongs to the notice duty before it
      // ("The notice shall include: (a) the nature ...; (b) ..."), not to a duty of its own.
      if (!initial && !qualifier && !clock && !updates && !report && (content.length || method.length)) {
        if (previous) {
          previous.details.content = union(previous.details.content, content);
          previous.details.method = union(previous.details.method, method);
          return;
        }
      }

      if (initial || qualifier || (!updates && !report)) {
        emit('notify_incident', {
          obligor,
          beneficiary,
          trigger,
          deadline: deadlineOf(initial, qualifier),
          summary: `Notify of ${incident}${timing(initial, qualifier, clock ? CLOCK_WORDS[clock] ?? clock : null)}`,
          details: { ...terms, clockStart: clock, method, content },
        });
      }
      if (updates) {
        const end = incidentEnd(clause.text);
        emit('send_incident_updates', {
          obligor,
          beneficiary,
          trigger,
          deadline: deadlineOf(updates, null, { recurring: true }),
          summary: `Send updates on ${incident} ${every(updates)}${end === 'containment' ? ' until it is contained' : end === 'resolution' ? ' until it is resolved' : ''}`,
          details: { ...terms, method },
        });
      }
      if (report) {
        const end = incidentEnd(clause.text);
        const after = end ?? (clock === 'discovery' ? 'discovery' : null);
        emit('deliver_root_cause_report', {
          obligor,
          beneficiary,
          trigger,
          deadline: deadlineOf(report),
          summary: `Deliver a root-cause report on ${incident} within ${spell(report)}${after ? ` after ${after}` : ''}`,
          details: { ...terms, method },
        });
      }
      return;
    }

    case 'data_exit': {
      const { obligor, beneficiary } = sides.pair(null, null, 'provider');
      const trigger: ObligationTrigger = str(f, 'trigger') === 'request' ? 'request' : 'termination';
      const p = ownPeriod(f);
      const deadline = deadlineOf(p);
      const when = p ? ` within ${spell(p)} ${trigger === 'request' ? 'of a request' : 'after termination'}` : trigger === 'request' ? ' on request' : ' on termination';
      const base = { obligor, beneficiary, trigger, deadline };
      const action = str(f, 'action');
      if (action === 'return' || action === 'return_or_delete') {
        const choice = action === 'return_or_delete';
        emit('return_data', { ...base, summary: `Return the customer's data${choice ? ' (or delete it)' : ''}${when}`, details: { choice: choice ? 'return_or_delete' : null } });
      }
      if (action === 'delete' || action === 'return_or_delete') {
        const choice = action === 'return_or_delete';
        emit('delete_data', { ...base, summary: `Delete the customer's data${choice ? ' (or return it)' : ''}${when}`, details: { choice: choice ? 'return_or_delete' : null } });
      }
      if (action === 'export') {
        emit('export_data', { ...base, summary: `Make the customer's data available for export${when}` });
      }
      if (bool(f, 'certification') === true) {
        emit('certify_deletion', { ...base, summary: `Certify in writing that the customer's data has been deleted${when}` });
      }
      if (bool(f, 'transition_assistance') === true) {
        emit('provide_transition_assistance', { ...base, deadline: null, summary: `Provide exit and transition assistance${trigger === 'request' ? ' on request' : ' on termination'}` });
      }
      return;
    }

    case 'subprocessor_flowdown': {
      const { obligor, beneficiary } = sides.pair(null, null, 'provider');
      const base = { obligor, beneficiary };
      const notice = period(f, 'notice_of_new_subprocessor');
      const objection = period(f, 'objection_period');
      const approval = str(f, 'approval_required');
      if (bool(f, 'flow_down') === true) {
        emit('flow_down_obligations', { ...base, trigger: 'new_subprocessor', deadline: null, summary: 'Impose the same data protection obligations on every sub-processor' });
      }
      if (notice) {
        emit('notify_new_subprocessor', {
          ...base,
          trigger: 'new_subprocessor',
          deadline: deadlineOf(notice, null, { advance: true }),
          summary: `Give ${noticeOf(notice)} before engaging a new sub-processor`,
          details: { objectionPeriod: objection },
        });
      } else if (approval === 'general' && !clauses.some((c) => c.type === 'subprocessor_flowdown' && period(c.fields, 'notice_of_new_subprocessor'))) {
        // a general authorisation stands only if the customer is told of changes (GDPR Art. 28(2))
        emit('notify_new_subprocessor', {
          ...base,
          trigger: 'new_subprocessor',
          deadline: null,
          summary: 'Inform of any new or replacement sub-processor before engaging it',
          details: { objectionPeriod: objection },
        });
      }
      if (objection && !notice && approval !== 'general') {
        // the objection window is the customer's right; it belongs with the notice that opens it
        const previous = [...out].reverse().find((o) => o.action === 'notify_new_subprocessor');
        if (previous && previous.details.objectionPeriod == null) previous.details.objectionPeriod = objection;
      }
      if (approval === 'specific') {
        emit('obtain_approval_for_subprocessor', { ...base, trigger: 'new_subprocessor', deadline: null, summary: 'Obtain prior written approval before engaging a new sub-processor' });
      }
      if (bool(f, 'liability_for_subprocessors') === true) {
        emit('remain_liable_for_subprocessors', { ...base, trigger: 'none', deadline: null, summary: 'Remain fully liable for the acts and omissions of sub-processors' });
      }
      return;
    }

    case 'insurance': {
      const { obligor, beneficiary } = sides.pair(null, null, 'provider');
      const coverage = str(f, 'coverage');
      const amount = num(f, 'amount');
      const currency = str(f, 'currency');
      const kind = coverage ? `${COVERAGE_WORDS[coverage] ?? coverage.replace(/_/g, ' ')} insurance` : 'insurance';
      emit('maintain_insurance', {
        obligor,
        beneficiary,
        trigger: 'none',
        deadline: null,
        summary: `Maintain ${kind}${amount !== null ? ` of at least ${money(amount, currency)}` : ''}`,
        details: { coverage, amount, currency },
      });
      return;
    }

    case 'audit_rights': {
      const auditorTerm = str(f, 'auditor');
      const auditor = sides.resolve(auditorTerm);
      // the audited side owes the duty; an outside auditor (a regulator) inspects the provider
      const audited: Side = auditor ? opposite(auditor) : 'provider';
      const beneficiary: Side = auditor ?? opposite(audited);
      const outside = !auditor && auditorTerm !== null && OUTSIDE_AUDITOR.test(auditorTerm);
      const reports = list(f, 'reports');
      const frequency = num(f, 'frequency_per_year');
      const notice = period(f, 'notice');
      const onSite = bool(f, 'on_site');
      const onRequest = /request|\bask\b|if you(?:'d| would) like/i.test(clause.text);
      const details = { auditorTerm, frequencyPerYear: frequency, noticePeriod: notice, onSite };
      if (reports.length) {
        emit('provide_assurance_reports', {
          obligor: audited,
          beneficiary,
          trigger: onRequest ? 'request' : 'none',
          deadline: null,
          summary: `Provide ${joinWords(words(reports, REPORT_WORDS))} reports${onRequest ? ' on request' : ''}${frequency === 1 ? ', once a year' : ''}`,
          details: { ...details, reports },
        });
      }
      if (!reports.length || onSite === true) {
        const limits = [
          frequency !== null ? (frequency === 1 ? 'up to once a year' : `up to ${frequency} times a year`) : null,
          notice ? `on ${noticeOf(notice)}` : null,
        ].filter((x): x is string => x !== null);
        emit('allow_audit', {
          obligor: audited,
          beneficiary,
          trigger: 'request',
          deadline: null,
          summary: `Allow ${onSite === true ? 'on-site ' : ''}audits${outside ? ' by regulators or independent auditors' : ''}${limits.length ? `, ${limits.join(', ')}` : ''}`,
          details,
        });
      }
      return;
    }

    case 'sla_response': {
      const { obligor, beneficiary } = sides.pair(null, null, 'provider');
      const uptime = num(f, 'uptime_percent');
      const response = period(f, 'response_time');
      const resolution = period(f, 'resolution_time');
      const mttd = period(f, 'mttd');
      const mttr = period(f, 'mttr');
      const severity = str(f, 'severity');
      const credits = bool(f, 'service_credits');
      const parts: string[] = [];
      if (uptime !== null) parts.push(`keep the service available ${uptime}% of the time`);
      if (response) parts.push(`respond${severity ? ` to ${severity} issues` : ''} within ${spell(response)}`);
      if (resolution) parts.push(`resolve${severity && !response ? ` ${severity} issues` : ''} within ${spell(resolution)}`);
      if (mttd) parts.push(`detect threats within ${spell(mttd)}`);
      if (mttr) parts.push(`restore the service within ${spell(mttr)}`);
      let summary = parts.length ? `${capitalise(joinWords(parts))}` : `Meet the service levels${severity ? ` for ${severity}` : ''}`;
      if (credits === true) summary += parts.length ? ', or give service credits' : ' or give service credits';
      emit('meet_sla', {
        obligor,
        beneficiary,
        trigger: response || resolution ? 'request' : 'none',
        deadline: deadlineOf(response ?? resolution ?? mttd ?? mttr),
        summary,
        details: { uptimePercent: uptime, responseTime: response, resolutionTime: resolution, mttd, mttr, severity, serviceCredits: credits },
      });
      return;
    }

    case 'log_or_record_retention': {
      const { obligor, beneficiary } = sides.pair(null, null, 'provider');
      const what = str(f, 'what');
      const p = ownPeriod(f);
      emit('retain_logs', {
        obligor,
        beneficiary,
        trigger: 'none',
        // a retention period is how long the duty lasts, not a time limit to act within
        deadline: null,
        summary: `Retain ${what ? RETAINED_WORDS[what] ?? what : 'logs and records'}${p ? ` for ${spell(p)}` : ''}`,
        details: { what, retentionPeriod: p },
      });
      return;
    }

    case 'data_residency': {
      const { obligor, beneficiary } = sides.pair(null, null, 'provider');
      const regions = list(f, 'regions');
      const mechanisms = list(f, 'transfer_mechanism');
      const consent = bool(f, 'consent_required');
      emit('keep_data_in_region', {
        obligor,
        beneficiary,
        trigger: 'none',
        deadline: null,
        summary: `Keep the customer's data in ${regions.length ? joinWords(words(regions, REGION_WORDS)) : 'the agreed locations'}${consent === true ? ' unless the customer consents to a transfer' : ''}`,
        details: { regions, transferMechanisms: mechanisms, consentRequired: consent },
      });
      return;
    }

    case 'indemnification': {
      const indemnitor = str(f, 'indemnitor');
      const indemnitee = str(f, 'indemnitee');
      const { obligor, beneficiary } = sides.pair(indemnitor, indemnitee, 'provider');
      const scope = list(f, 'scope');
      emit('indemnify', {
        obligor,
        beneficiary,
        trigger: 'claim',
        deadline: null,
        summary: `Indemnify against ${scope.length ? joinWords(words(scope, SCOPE_WORDS)) : 'claims'}${obligor === 'both' ? ' (each party)' : ''}`,
        details: { indemnitorTerm: indemnitor, indemniteeTerm: indemnitee, scope },
      });
      return;
    }

    case 'termination_for_convenience': {
      const who = str(f, 'who');
      // the right is more often the customer's than the provider's
      const { obligor, beneficiary } = sides.pair(who, null, 'customer');
      const notice = period(f, 'notice_period');
      emit('give_termination_notice', {
        obligor,
        beneficiary,
        trigger: 'termination',
        deadline: deadlineOf(notice, null, { advance: true }),
        summary: `Give ${notice ? noticeOf(notice) : 'notice'} before terminating for convenience`,
        details: { whoTerm: who, noticePeriod: notice },
      });
      return;
    }

    case 'assignment': {
      // free assignment binds no one
      const consent = bool(f, 'consent_required');
      if (consent === false) return;
      const who = str(f, 'who');
      const { obligor, beneficiary } = sides.pair(who, null, 'both');
      const exceptions = list(f, 'exceptions');
      emit('obtain_consent_to_assign', {
        obligor,
        beneficiary,
        trigger: 'none',
        deadline: null,
        summary: `${consent ? "Obtain the other party's consent before assigning the contract" : 'Assign the contract only as it allows'}${exceptions.length ? `, except ${orWords(words(exceptions, EXCEPTION_WORDS))}` : ''}`,
        details: { whoTerm: who, exceptions },
      });
      return;
    }

    // parties, governing_law, liability_cap, liability_carveout: terms of the deal, no duty to act
    default:
      return;
  }
}

function union(existing: unknown, more: string[]): string[] {
  const list = Array.isArray(existing) ? existing.filter((x): x is string => typeof x === 'string') : [];
  for (const m of more) if (!list.includes(m)) list.push(m);
  return list;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The obligations the clauses create, in clause order. */
export function deriveObligations(input: DeriveInput): ObligationDraft[] {
  const sides = new SideResolver(input.clauses, input.ourRole, input.counterpartyName);
  const out: ObligationDraft[] = [];
  input.clauses.forEach((clause, clauseIndex) => {
    const emit: Emit = (action, parts) => {
      out.push({
        type: clause.type,
        obligor: sides.toParty(parts.obligor),
        beneficiary: sides.toParty(parts.beneficiary),
        action,
        trigger: parts.trigger,
        deadline: parts.deadline,
        summary: parts.summary,
        details: { ...(parts.details ?? {}) },
        clauseIndex,
      });
    };
    deriveFromClause(clause, input.clauses, sides, emit, out);
  });
  return out;
}
