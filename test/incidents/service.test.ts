import pino from 'pino';
import { loadConfig } from '../../src/config';
import {
  declareIncident,
  DeclareIncidentBody,
  hypotheticalDeadlines,
  incidentServiceDeps,
  localTime,
  markDeadline,
  updateIncident,
  withMissed,
  type IncidentServiceDeps,
} from '../../src/incidents/service';
import { type ReminderScheduler } from '../../src/reminders';
import { clause, obligation, upload } from '../db/db-modes';
import { createMemoryStore, type MemoryStore } from '../helpers/memory-store';
import { AWARE, computedDeadline, fakeCompute } from './service-fixtures';

function recordingReminders() {
  const calls: string[] = [];
  const reminders: ReminderScheduler = {
    mode: 'in-process',
    async schedule(incident, deadlines) {
      calls.push(`schedule ${incident.id} ${deadlines.length}`);
    },
    async cancel(id) {
      calls.push(`cancel ${id}`);
    },
    async start() {},
    async pending() {
      return [];
    },
    async close() {},
  };
  return { reminders, calls };
}

async function setup(over: Partial<IncidentServiceDeps> = {}) {
  const store: MemoryStore = createMemoryStore();
  const { contract } = await store.createContract(upload('Acme Hosting', 'msa', { ourRole: 'customer' }), 't');
  const [cl] = await store.saveExtraction(contract.id, 'notice', [{ number: 1, start: 0, end: 6 }], [clause({ text: 'notice' })]);
  await store.saveObligations(contract.id, [{ ...obligation(0), clauseId: cl.id }]);
  const compute = fakeCompute();
  const { reminders, calls } = recordingReminders();
  let now = new Date('2026-03-02T12:00:00Z');
  const deps = incidentServiceDeps(loadConfig({}), { store, logger: pino({ level: 'silent' }), compute, reminders, now: () => now, ...over });
  return { store, deps, compute, calls, contract, setNow: (d: Date) => (now = d) };
}

const input = (over: Record<string, unknown> = {}) =>
  DeclareIncidentBody.parse({ title: 'Exposure', origin: 'vendor', counterparties: ['acme hosting inc'], awareAt: AWARE.toISOString(), dataCategories: ['personal_data'], jurisdictions: ['EU'], timeZone: 'Europe/Berlin', ...over });

describe('the incident service', () => {
  it('declares: resolves names, computes with the loaded regulations and policy, stores, and schedules reminders for open deadlines', async () => {
    const s = await setup();
    const { incident, deadlines } = await declareIncident(s.deps, input(), 'resp');
    expect(incident.counterpartyNames).toEqual(['Acme Hosting']);
    expect(s.compute.calls[0].policy).toBe(s.deps.policy());
    expect(s.compute.calls[0].regulations).toBe(s.deps.regulations());
    // both 72 hours from awareness: a tie is ordered by key
    expect(deadlines.map((d) => d.key)).toEqual([`clause:${s.compute.calls[0].obligations[0].id}`, 'regulation:gdpr.art33:supervisory-authority']);
    expect(s.calls).toEqual([`schedule ${incident.id} 2`]);
  });

  it('stores nothing when the computation fails', async () => {
    const s = await setup({
      compute: () => {
        throw new Error('rule bug');
      },
    });
    await expect(declareIncident(s.deps, input(), 'resp')).rejects.toThrow('rule bug');
    expect((await s.store.listIncidents({}, { limit: 5, offset: 0 })).total).toBe(0);
  });

  it('keeps the incident when reminders cannot be scheduled', async () => {
    const s = await setup();
    s.deps.reminders.schedule = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    const { incident } = await declareIncident(s.deps, input(), 'resp');
    expect(await s.store.getIncident(incident.id)).not.toBeNull();
  });

  it('re-computes a suspected incident confirmed later: the second clock starts at confirmation, the first keeps its status', async () => {
    const s = await setup();
    s.deps.compute = (i) =>
      [
        computedDeadline({ key: 'suspected', dueAt: new Date(i.incident.awareAt!.getTime() + 24 * 3_600_000) }),
        ...(i.incident.confirmedAt ? [computedDeadline({ key: 'confirmed', dueAt: new Date(i.incident.confirmedAt.getTime() + 72 * 3_600_000), clock: { name: 'confirmedAt', at: i.incident.confirmedAt } })] : []),
      ];
    const { incident, deadlines } = await declareIncident(s.deps, input(), 'resp');
    await markDeadline(s.deps, deadlines[0].id, { status: 'done', note: 'told them' }, 'resp');
    const confirmedAt = new Date('2026-03-04T08:00:00Z');
    const after = await updateIncident(s.deps, incident.id, { status: 'confirmed', confirmedAt }, 'resp');
    expect(after.recomputed).toBe(true);
    expect(after.deadlines.map((d) => [d.key, d.status, d.dueAt?.toISOString()])).toEqual([
      ['suspected', 'done', '2026-03-03T09:00:00.000Z'],
      ['confirmed', 'open', '2026-03-07T08:00:00.000Z'],
    ]);
    expect(after.changes).toEqual({ status: { from: 'suspected', to: 'confirmed' }, confirmedAt: { from: null, to: '2026-03-04T08:00:00.000Z' } });
  });

  it('closing an incident cancels its reminders', async () => {
    const s = await setup();
    const { incident } = await declareIncident(s.deps, input(), 'resp');
    await updateIncident(s.deps, incident.id, { status: 'closed' }, 'resp');
    expect(s.calls.at(-1)).toBe(`cancel ${incident.id}`);
  });

  it('refuses to make a vendor incident name nobody', async () => {
    const s = await setup();
    const { incident } = await declareIncident(s.deps, input(), 'resp');
    await expect(updateIncident(s.deps, incident.id, { counterparties: [] }, 'resp')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(updateIncident(s.deps, incident.id, { origin: 'ours', counterparties: 'all' }, 'resp')).resolves.toMatchObject({ recomputed: true });
  });

  it('works out missed from the clock, never for a deadline without a due time', () => {
    const open = { ...computedDeadline(), id: 'd', incidentId: 'i', status: 'open' as const, doneAt: null, doneBy: null, note: null, evidenceFileName: null, notApplicableReason: null };
    expect(withMissed(open, new Date(open.dueAt!.getTime() - 1)).status).toBe('open');
    expect(withMissed(open, new Date(open.dueAt!.getTime() + 1)).status).toBe('missed');
    expect(withMissed({ ...open, status: 'done' }, new Date('2030-01-01')).status).toBe('done');
    expect(withMissed({ ...open, dueAt: null, policyTargetAt: AWARE }, new Date('2030-01-01')).status).toBe('open');
  });

  it('computes a hypothetical incident without storing anything', async () => {
    const s = await setup();
    const { deadlines, counterpartyNames } = await hypotheticalDeadlines(s.deps, input());
    expect(counterpartyNames).toEqual(['Acme Hosting']);
    expect(deadlines).toHaveLength(2);
    expect((await s.store.listIncidents({}, { limit: 5, offset: 0 })).total).toBe(0);
    expect(s.store.events.filter((e) => e.entity === 'incident')).toEqual([]);
  });

  it('shows times in the zone across a daylight-saving change', () => {
    // Europe/Berlin moves to summer time on 29 March 2026 at 01:00 UTC
    expect(localTime(new Date('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29T01:30:00+01:00');
    expect(localTime(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29T03:30:00+02:00');
  });
});
