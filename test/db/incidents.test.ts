import { openThrowAwayStore, type ThrowAwayStore } from '../../src/db';
import { type TypeormStore } from '../../src/db/typeorm-store';
import { AWARE, computedDeadline, newIncidentFacts } from '../incidents/service-fixtures';
import { clause, databaseModes, obligation, upload, uniqueName } from './db-modes';

const HOUR = 3_600_000;

describe.each(databaseModes())('incidents in the store on %s', (_mode, config) => {
  let db: ThrowAwayStore;
  let store: TypeormStore;

  beforeAll(async () => {
    db = await openThrowAwayStore(config);
    store = db.store;
  });

  afterAll(async () => {
    await db?.close();
  });

  /** A contract on our given side with one incident notice clause and one insurance clause. */
  async function contract(counterparty: string, ourRole: 'customer' | 'provider', hours: number) {
    const { contract: c } = await store.createContract(upload(counterparty, `${counterparty} ${ourRole} ${hours}`, { ourRole }), 'analyst-1');
    const text = `Supplier shall notify Customer of any Security Incident within ${hours} hours. Supplier shall maintain cyber insurance.`;
    const split = text.indexOf('Supplier shall maintain');
    const clauses = await store.saveExtraction(c.id, text, [{ number: 1, start: 0, end: text.length }], [
      clause({ text: text.slice(0, split).trim(), start: 0, end: split - 1, page: 3 }),
      clause({ type: 'insurance', ruleId: 'insurance.cyber', text: text.slice(split), start: split, end: text.length }),
    ]);
    const obligor = ourRole === 'provider' ? 'us' : 'counterparty';
    await store.saveObligations(c.id, [
      { ...obligation(0, { obligor, beneficiary: obligor === 'us' ? 'counterparty' : 'us', deadline: { amount: hours, unit: 'hours', qualifier: null, recurring: false } }), clauseId: clauses[0].id },
      { ...obligation(1, { type: 'insurance', action: 'maintain_insurance', trigger: 'none', deadline: null, summary: 'Maintain cyber insurance' }), clauseId: clauses[1].id },
    ]);
    return c;
  }

  it('stores an incident with its times in UTC and its counterparties in order, and audits its creation', async () => {
    const a = await contract(uniqueName('Acme Hosting'), 'customer', 72);
    const b = await contract(uniqueName('Bluebird Retail'), 'provider', 48);
    const created = await store.createIncident(
      newIncidentFacts({ counterpartyIds: [b.counterpartyId, a.counterpartyId], awareAt: new Date('2026-03-02T10:00:00+01:00'), jurisdictions: ['EU', 'DE'], sectors: ['health'] }),
      'responder-1',
    );
    expect(created).toMatchObject({
      title: 'Acme Hosting storage exposure',
      origin: 'vendor',
      status: 'suspected',
      awareAt: AWARE,
      detectedAt: new Date('2026-03-02T08:10:00Z'),
      confirmedAt: null,
      jurisdictions: ['EU', 'DE'],
      sectors: ['health'],
      counterpartyIds: [b.counterpartyId, a.counterpartyId],
      counterpartyNames: [b.counterpartyName, a.counterpartyName],
      timeZone: 'Europe/Berlin',
      createdBy: 'responder-1',
      revision: 1,
    });
    const raw = (await store.dataSource.query(`SELECT aware_at::text AS t FROM incident WHERE id = $1`, [created.id])) as { t: string }[];
    // timestamptz shown in the session's zone; the instant is what matters
    expect(new Date(raw[0].t).toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(await store.getIncident(created.id)).toEqual(created);
    const audit = (await store.listAudit({ limit: 5, offset: 0 })).items.find((e) => e.entityId === created.id);
    expect(audit).toMatchObject({ actor: 'responder-1', action: 'incident.create', details: { awareAt: '2026-03-02T09:00:00.000Z' } });
  });

  it('refuses an unknown counterparty id and stores nothing', async () => {
    const before = (await store.listIncidents({}, { limit: 1, offset: 0 })).total;
    await expect(store.createIncident(newIncidentFacts({ counterpartyIds: ['00000000-0000-4000-8000-000000000000'] }), 'r')).rejects.toMatchObject({ code: 'UNKNOWN_COUNTERPARTY', status: 400 });
    expect((await store.listIncidents({}, { limit: 1, offset: 0 })).total).toBe(before);
  });

  it('lists incidents newest first, pages them and filters by status', async () => {
    const first = await store.createIncident(newIncidentFacts({ title: 'first', status: 'closed' }), 'r');
    const second = await store.createIncident(newIncidentFacts({ title: 'second', status: 'closed', counterpartyIds: 'all', origin: 'ours' }), 'r');
    const closed = await store.listIncidents({ status: 'closed' }, { limit: 10, offset: 0 });
    expect(closed.items.map((i) => i.id)).toEqual([second.id, first.id]);
    expect(closed.items[0].counterpartyIds).toBe('all');
    expect(closed.items[0].counterpartyNames).toEqual([]);
    const page = await store.listIncidents({ status: 'closed' }, { limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.items.map((i) => i.id)).toEqual([first.id]);
  });

  it('updates only what changed, bumps the revision and audits each change with its old and new value', async () => {
    const x = await contract(uniqueName('Acme Hosting'), 'customer', 24);
    const incident = await store.createIncident(newIncidentFacts(), 'r');
    const same = await store.updateIncident(incident.id, { status: 'suspected', awareAt: new Date(AWARE) }, 'r2');
    expect(same?.changes).toEqual({});
    expect(same?.incident.revision).toBe(1);

    const updated = await store.updateIncident(incident.id, { status: 'confirmed', confirmedAt: new Date('2026-03-03T12:00:00Z'), counterpartyIds: [x.counterpartyId] }, 'r2');
    expect(updated?.changes).toEqual({
      status: { from: 'suspected', to: 'confirmed' },
      confirmedAt: { from: null, to: '2026-03-03T12:00:00.000Z' },
      counterpartyIds: { from: [], to: [x.counterpartyId] },
    });
    expect(updated?.incident).toMatchObject({ status: 'confirmed', revision: 2, counterpartyNames: [x.counterpartyName], confirmedAt: new Date('2026-03-03T12:00:00Z') });
    const cleared = await store.updateIncident(incident.id, { confirmedAt: null }, 'r3');
    expect(cleared?.incident.confirmedAt).toBeNull();
    const events = (await store.listAudit({ limit: 20, offset: 0 })).items.filter((e) => e.entityId === incident.id && e.action === 'incident.update');
    expect(events.map((e) => e.actor)).toEqual(['r3', 'r2']);
    expect(await store.updateIncident('00000000-0000-4000-8000-000000000000', { title: 'x' }, 'r')).toBeNull();
    expect(await store.updateIncident('not-a-uuid', { title: 'x' }, 'r')).toBeNull();
  });

  it('replaces deadlines by key: kept keys keep their tracked status, gone keys are withdrawn and come back with it', async () => {
    const incident = await store.createIncident(newIncidentFacts(), 'r');
    const gdpr = computedDeadline();
    const vendor = computedDeadline({ key: 'clause:vendor', title: 'Vendor notifies us', dueAt: new Date(AWARE.getTime() + 24 * HOUR), owedBy: 'counterparty' });
    const vague = computedDeadline({ key: 'clause:vague', title: 'Notify without undue delay', dueAt: null, qualifier: 'without undue delay', policyTargetAt: new Date(AWARE.getTime() + 24 * HOUR) });
    const first = await store.replaceIncidentDeadlines(incident.id, [gdpr, vague, vendor], 'r');
    expect(first?.added.sort()).toEqual([gdpr.key, vague.key, vendor.key].sort());
    // soonest first; no due time last
    expect(first?.deadlines.map((d) => d.key)).toEqual([vendor.key, gdpr.key, vague.key]);
    expect(first?.deadlines[2]).toMatchObject({ dueAt: null, qualifier: 'without undue delay', policyTargetAt: new Date(AWARE.getTime() + 24 * HOUR), status: 'open' });
    expect(first?.deadlines[1]).toMatchObject({ source: gdpr.source, method: gdpr.method, content: gdpr.content, clock: gdpr.clock, recurrence: null });

    const gdprRow = first!.deadlines[1];
    const done = await store.updateDeadline(gdprRow.id, { status: 'done', doneAt: new Date('2026-03-04T10:00:00Z'), note: 'filed online', evidenceFileName: 'receipt.pdf' }, 'legal-1');
    expect(done).toMatchObject({ status: 'done', doneBy: 'legal-1', note: 'filed online', evidenceFileName: 'receipt.pdf', doneAt: new Date('2026-03-04T10:00:00Z') });
    const vendorRow = first!.deadlines[0];
    await store.updateDeadline(vendorRow.id, { status: 'not_applicable', reason: 'vendor not affected' }, 'r');

    // the clock moves by an hour; the vendor duty no longer applies
    const moved = { ...gdpr, dueAt: new Date(gdpr.dueAt!.getTime() + HOUR) };
    const second = await store.replaceIncidentDeadlines(incident.id, [moved, vague], 'r2', incident.revision);
    expect(second).toMatchObject({ added: [], kept: [gdpr.key, vague.key], withdrawn: [vendor.key], restored: [] });
    expect(second?.deadlines.map((d) => d.key)).toEqual([gdpr.key, vague.key]);
    expect(second?.deadlines[0]).toMatchObject({ id: gdprRow.id, status: 'done', doneBy: 'legal-1', note: 'filed online', dueAt: moved.dueAt });
    expect(await store.getDeadline(vendorRow.id)).toBeNull();
    expect(await store.updateDeadline(vendorRow.id, { status: 'open' }, 'r')).toBeNull();

    const third = await store.replaceIncidentDeadlines(incident.id, [moved, vague, vendor], 'r3');
    expect(third?.restored).toEqual([vendor.key]);
    expect(third?.deadlines.find((d) => d.key === vendor.key)).toMatchObject({ id: vendorRow.id, status: 'not_applicable', notApplicableReason: 'vendor not affected' });

    const trail = (await store.listAudit({ limit: 50, offset: 0 })).items.filter((e) => e.entityId === incident.id && e.action === 'incident.deadlines');
    expect(trail[1].details).toMatchObject({ withdrawn: [vendor.key], moved: [{ key: gdpr.key, from: gdpr.dueAt!.toISOString(), to: moved.dueAt!.toISOString() }] });
    expect((await store.listAudit({ limit: 50, offset: 0 })).items.find((e) => e.entityId === gdprRow.id)).toMatchObject({
      action: 'deadline.done',
      actor: 'legal-1',
      details: { incidentId: incident.id, key: gdpr.key, from: { status: 'open' }, to: { status: 'done', note: 'filed online' } },
    });
  });

  it('writes nothing when the incident changed since the computation began', async () => {
    const incident = await store.createIncident(newIncidentFacts(), 'r');
    await store.updateIncident(incident.id, { status: 'confirmed' }, 'r');
    expect(await store.replaceIncidentDeadlines(incident.id, [computedDeadline()], 'r', incident.revision)).toBeNull();
    expect(await store.listDeadlines(incident.id)).toEqual([]);
    expect(await store.replaceIncidentDeadlines(incident.id, [computedDeadline()], 'r', incident.revision + 1)).not.toBeNull();
    await expect(store.replaceIncidentDeadlines('00000000-0000-4000-8000-000000000000', [], 'r')).rejects.toMatchObject({ code: 'INCIDENT_NOT_FOUND' });
  });

  it('marks a deadline not applicable and opens it again, clearing what was recorded', async () => {
    const incident = await store.createIncident(newIncidentFacts(), 'r');
    const [d] = (await store.replaceIncidentDeadlines(incident.id, [computedDeadline()], 'r'))!.deadlines;
    await store.updateDeadline(d.id, { status: 'done', doneAt: new Date('2026-03-03T00:00:00Z'), note: 'sent', evidenceFileName: null }, 'r');
    const na = await store.updateDeadline(d.id, { status: 'not_applicable', reason: 'no EU residents affected' }, 'r');
    expect(na).toMatchObject({ status: 'not_applicable', notApplicableReason: 'no EU residents affected', doneAt: null, doneBy: null });
    const reopened = await store.updateDeadline(d.id, { status: 'open' }, 'r');
    expect(reopened).toMatchObject({ status: 'open', notApplicableReason: null, doneAt: null });
    expect(await store.updateDeadline('nope', { status: 'open' }, 'r')).toBeNull();
  });

  it("gives the incident-triggered obligations of the named counterparties' contracts, or of every customer, with their evidence", async () => {
    const vendor = await contract(uniqueName('Acme Hosting'), 'customer', 72);
    const customerA = await contract(uniqueName('Bluebird Retail'), 'provider', 48);
    const customerB = await contract(uniqueName('Cobalt Bank'), 'provider', 24);

    const named = await store.obligationsForIncident({ counterpartyIds: [vendor.counterpartyId], allCustomers: false });
    expect(named).toHaveLength(1);
    expect(named[0]).toMatchObject({
      contractId: vendor.id,
      counterpartyId: vendor.counterpartyId,
      counterpartyName: vendor.counterpartyName,
      ourRole: 'customer',
      action: 'notify_incident',
      trigger: 'security_incident',
      obligor: 'counterparty',
      deadline: { amount: 72, unit: 'hours' },
      page: 3,
      quote: 'Supplier shall notify Customer of any Security Incident within 72 hours.',
    });

    const wide = await store.obligationsForIncident({ counterpartyIds: [vendor.counterpartyId], allCustomers: true });
    const contracts = new Set(wide.map((o) => o.contractId));
    expect(contracts.has(vendor.id) && contracts.has(customerA.id) && contracts.has(customerB.id)).toBe(true);
    expect(wide.filter((o) => o.contractId !== vendor.id).every((o) => o.ourRole === 'provider' && o.obligor === 'us')).toBe(true);
    expect(wide.some((o) => o.action === 'maintain_insurance')).toBe(false);
    expect(await store.obligationsForIncident({ counterpartyIds: ['not-a-uuid'], allCustomers: false })).toEqual([]);
  });

  it('finds a counterparty by id, or by its name however it is typed', async () => {
    const name = uniqueName('Northwind Security');
    const c = await contract(`${name}, Inc.`, 'customer', 72);
    expect((await store.findCounterparty(c.counterpartyId))?.id).toBe(c.counterpartyId);
    expect((await store.findCounterparty(`  ${name.toUpperCase()} INC `))?.id).toBe(c.counterpartyId);
    expect(await store.findCounterparty(`${name} Holdings`)).toBeNull();
    expect(await store.findCounterparty('%')).toBeNull();
  });

  it('deleting a contract leaves incidents naming its counterparty intact', async () => {
    const c = await contract(uniqueName('Acme Hosting'), 'customer', 72);
    const incident = await store.createIncident(newIncidentFacts({ counterpartyIds: [c.counterpartyId] }), 'r');
    expect(await store.deleteContract(c.id, 'admin')).toBe(true);
    expect((await store.getIncident(incident.id))?.counterpartyIds).toEqual([c.counterpartyId]);
  });
});
