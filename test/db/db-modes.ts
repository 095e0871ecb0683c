import { createHash, randomBytes } from 'node:crypto';
import { type Config, loadConfig } from '../../src/config';
import { type Clause } from '../../src/extract';
import { type NewContract } from '../../src/db/store';
import { type ObligationDraft } from '../../src/obligations/types';

/**
 * The databases the store tests run against: always the embedded one, and the
 * PostgreSQL server named by DATABASE_URL when it is set.
 */
export function databaseModes(): [string, Config][] {
  const modes: [string, Config][] = [['embedded PGlite', loadConfig({})]];
  const url = process.env.DATABASE_URL;
  if (url) modes.push(['PostgreSQL', loadConfig({ DATABASE_URL: url })]);
  return modes;
}

export function upload(counterparty: string, content: string, over: Partial<NewContract> = {}): NewContract {
  const bytes = Buffer.from(content);
  return {
    counterparty,
    ourRole: 'customer',
    title: null,
    kind: 'DPA',
    fileName: 'contract.txt',
    mediaType: 'text/plain',
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    ...over,
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix} ${randomBytes(4).toString('hex')}`;
}

export function clause(over: Partial<Clause> & Pick<Clause, 'text'>): Clause {
  return { type: 'breach_notification', ruleId: 'breach_notification.fixed-window', start: 0, end: over.text.length, page: 1, fields: {}, confidence: 0.9, ...over };
}

export function obligation(clauseIndex: number, over: Partial<ObligationDraft> = {}): ObligationDraft {
  return {
    type: 'breach_notification',
    obligor: 'counterparty',
    beneficiary: 'us',
    action: 'notify_incident',
    trigger: 'security_incident',
    deadline: { amount: 72, unit: 'hours', qualifier: null, recurring: false },
    summary: 'Notify of a security incident within 72 hours',
    details: {},
    clauseIndex,
    ...over,
  };
}
