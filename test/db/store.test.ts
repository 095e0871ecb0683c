import { openThrowAwayStore, type ThrowAwayStore } from '../../src/db';
import { type TypeormStore } from '../../src/db/typeorm-store';
import { clause, databaseModes, obligation, upload, uniqueName } from './db-modes';

const page = { limit: 50, offset: 0 };

describe.each(databaseModes())('the store on %s', (_mode, config) => {
  let db: ThrowAwayStore;
  let store: TypeormStore;

  beforeAll(async () => {
    db = await openThrowAwayStore(config);
    store = db.store;
  });

  afterAll(async () => {
    await db?.close();
  });

  /** A contract with two clauses and one obligation per clause. */
  async function contractWithObligations(counterparty: string, content: string) {
    const { contract } = await store.createContract(upload(counterparty, content), 'analyst-1');
    const text = 'Supplier shall notify Customer of any Security Incident within seventy-two hours. Supplier shall maintain cyber insurance of five million dollars.';
    const split = text.indexOf('Supplier shall maintain');
    const clauses = await store.saveExtraction(contract.id, text, [{ number: 1, start: 0, end: text.length }], [
      clause({ text: text.slice(0, split).trim(), start: 0, end: split - 1 }),
      clause({ type: 'insurance', ruleId: 'insurance.cyber', text: text.slice(split), start: split, end: text.length }),
    ]);
    await store.saveObligations(contract.id, [
      { ...obligation(0), clauseId: clauses[0].id },
      { ...obligation(1, { type: 'insurance', action: 'maintain_insurance', trigger: 'none', deadline: null, summary: 'Maintain cyber insurance' }), clauseId: clauses[1].id },
    ]);
    return { contract, clauses };
  }

  it('starts from an empty database with every migration applied, and migrating again changes nothing', async () => {
    const applied = (await store.dataSource.query('SELECT name FROM migrations')) as { name: string }[];
    expect(applied.map((m) => m.name).sort()).toEqual([expect.stringMatching(/^Findings\d+$/), expect.stringMatching(/^Incidents\d+$/), expect.stringMatching(/^Init\d+$/)]);
    const tables = (await store.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    )) as { table_name: string }[];
    expect(tables.map((t) => t.table_name)).toEqual([
      'api_token',
      'audit_event',
      'clause',
      'contract',
      'counterparty',
      'finding',
      'incident',
      'incident_counterparty',
      'incident_deadline',
      'migrations',
      'obligation',
      'typeorm_metadata',
    ]);
    const indexes = (await store.dataSource.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_clause_text_search'`)) as { indexdef: string }[];
    expect(indexes[0].indexdef).toMatch(/USING gin \(text_search\)/);
    // The generated-column bookkeeping names this database, whatever it is called.
    const meta = (await store.dataSource.query(`SELECT database = current_database() AS here FROM typeorm_metadata`)) as { here: boolean }[];
    expect(meta).toEqual([{ here: true }]);

    await store.migrate();
    expect(await store.dataSource.query('SELECT name FROM migrations')).toHaveLength(3);
    expect(await store.ping()).toBe(true);
  });

  it('recognizes the same file uploaded twice for one counterparty, however its name is typed', async () => {
    const name = uniqueName('Northwind Security');
    const first = await store.createContract(upload(`${name}, Inc.`, 'the same bytes'), 'analyst-1');
    const again = await store.createContract(upload(`${name.toUpperCase()} INC`, 'the same bytes', { fileName: 'renamed.txt' }), 'analyst-2');
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.contract.id).toBe(first.contract.id);
    expect(again.contract.fileName).toBe('contract.txt');

    const cp = await store.getCounterparty(first.contract.counterpartyId);
    expect(cp?.name).toBe(`${name}, Inc.`);
    expect(cp?.aliases).toEqual([`${name.toUpperCase()} INC`]);

    // The same file for another counterparty is a contract of its own.
    const other = await store.createContract(upload(uniqueName('Lumen Data'), 'the same bytes'), 'analyst-1');
    expect(other.duplicate).toBe(false);
    expect(other.contract.id).not.toBe(first.contract.id);

    const file = await store.getContractFile(first.contract.id);
    expect(file?.bytes.toString()).toBe('the same bytes');
    expect(file?.mediaType).toBe('text/plain');
  });

  it('answers the same for two concurrent uploads of one file: one contract, one duplicate', async () => {
    const name = uniqueName('Racing Vendor');
    const [a, b] = await Promise.all([
      store.createContract(upload(name, 'raced bytes'), 'analyst-1'),
      store.createContract(upload(name, 'raced bytes'), 'analyst-2'),
    ]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.contract.id).toBe(b.contract.id);
  });

  it('refuses a counterparty name with nothing in it', async () => {
    await expect(store.createContract(upload(' -- ', 'x'), 'analyst-1')).rejects.toMatchObject({ code: 'INVALID_COUNTERPARTY', status: 400 });
  });

  it('replaces the extraction when it is saved again, never doubling clauses', async () => {
    const { contract } = await store.createContract(upload(uniqueName('Replace Corp'), 'extract me twice'), 'analyst-1');
    const text = 'Customer may audit Supplier once a year. Supplier shall delete Customer Data within thirty days.';
    const pages = [{ number: 1, start: 0, end: 41 }, { number: 2, start: 41, end: text.length }];
    const clauses = [clause({ type: 'audit_rights', text: text.slice(0, 40), start: 0, end: 40 }), clause({ type: 'data_deletion', text: text.slice(41), start: 41, end: text.length, page: 2 })];

    await store.saveExtraction(contract.id, text, pages, clauses);
    const saved = await store.saveExtraction(contract.id, text, pages, clauses);
    const listed = await store.listClauses(contract.id);
    expect(listed).toHaveLength(2);
    expect(listed.map((c) => c.id).sort()).toEqual(saved.map((c) => c.id).sort());
    expect(listed.map((c) => [c.type, c.page, text.slice(c.start, c.end) === c.text])).toEqual([
      ['audit_rights', 1, true],
      ['data_deletion', 2, true],
    ]);
    expect(await store.getContractText(contract.id)).toEqual({ text, pages });
    expect((await store.getContract(contract.id))?.pageCount).toBe(2);

    await expect(store.saveExtraction('00000000-0000-4000-8000-000000000000', text, pages, clauses)).rejects.toMatchObject({ code: 'CONTRACT_NOT_FOUND' });
  });

  it('replaces the obligations when they are derived again', async () => {
    const { contract, clauses } = await contractWithObligations(uniqueName('Rederive Ltd'), 'derive me twice');
    await store.saveObligations(contract.id, [{ ...obligation(0), clauseId: clauses[0].id }]);
    await store.saveObligations(contract.id, [{ ...obligation(0), clauseId: clauses[0].id }]);
    const found = await store.searchObligations({ contractId: contract.id }, page);
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ action: 'notify_incident', clauseId: clauses[0].id, page: 1, quote: clauses[0].text });
    expect(found.items[0].deadline).toEqual({ amount: 72, unit: 'hours', qualifier: null, recurring: false });

    const stranger = await contractWithObligations(uniqueName('Stranger'), 'another contract');
    await expect(store.saveObligations(contract.id, [{ ...obligation(0), clauseId: stranger.clauses[0].id }])).rejects.toMatchObject({ code: 'CLAUSE_NOT_IN_CONTRACT' });
  });

  describe('policy findings', () => {
    const met = (clauseId: string | null) => ({
      itemId: 'incident_notice',
      title: 'Incident notice',
      clauseType: 'breach_notification',
      outcome: 'met' as const,
      detail: 'Notice within 72 hours; the policy accepts at most 72 hours.',
      clauseId,
      value: { window: { amount: 72, unit: 'hours' } },
    });
    const missing = { itemId: 'audit_rights', title: 'Audit rights', clauseType: 'audit_rights', outcome: 'missing' as const, detail: 'No audit clause.', clauseId: null, value: null };

    it("stores a contract's findings in the policy's order, with the deciding clause's evidence", async () => {
      const { contract, clauses } = await contractWithObligations(uniqueName('Scored Vendor'), 'score me');
      await store.saveFindings(contract.id, [missing, met(clauses[0].id)]);
      const found = await store.listFindings(contract.id);
      expect(found.map((f) => f.itemId)).toEqual(['audit_rights', 'incident_notice']);
      expect(found[0]).toMatchObject({ contractId: contract.id, outcome: 'missing', clauseId: null, value: null, evidence: null });
      expect(found[1]).toMatchObject({
        outcome: 'met',
        clauseId: clauses[0].id,
        value: { window: { amount: 72, unit: 'hours' } },
        evidence: { page: 1, quote: clauses[0].text, start: clauses[0].start, end: clauses[0].end },
      });
      expect(found[1].createdAt).toBeInstanceOf(Date);
      expect(await store.listFindings('not-a-uuid')).toEqual([]);
    });

    it('replaces the findings when checked again, and drops them when the contract is extracted again or deleted', async () => {
      const { contract, clauses } = await contractWithObligations(uniqueName('Rescored Vendor'), 'score me twice');
      await store.saveFindings(contract.id, [met(clauses[0].id), missing]);
      await store.saveFindings(contract.id, [met(clauses[0].id)]);
      expect((await store.listFindings(contract.id)).map((f) => f.itemId)).toEqual(['incident_notice']);

      const stranger = await contractWithObligations(uniqueName('Stranger'), 'not my clause');
      await expect(store.saveFindings(contract.id, [met(stranger.clauses[0].id)])).rejects.toMatchObject({ code: 'CLAUSE_NOT_IN_CONTRACT' });
      await expect(store.saveFindings('00000000-0000-4000-8000-000000000000', [missing])).rejects.toMatchObject({ code: 'CONTRACT_NOT_FOUND' });
      expect(await store.listFindings(contract.id)).toHaveLength(1);

      await store.saveExtraction(contract.id, 'New text.', [{ number: 1, start: 0, end: 9 }], []);
      expect(await store.listFindings(contract.id)).toEqual([]);

      await store.saveFindings(stranger.contract.id, [missing]);
      await store.deleteContract(stranger.contract.id, 'admin-1');
      const left = (await store.dataSource.query('SELECT count(*) AS n FROM finding WHERE contract_id = $1', [stranger.contract.id])) as { n: string }[];
      expect(Number(left[0].n)).toBe(0);
    });
  });

  describe('searching obligations', () => {
    let northwind: string;
    let northwindId: string;

    beforeAll(async () => {
      northwind = uniqueName('Searchable Northwind');
      const n = await contractWithObligations(`${northwind}, Inc.`, 'northwind contract');
      northwindId = n.contract.counterpartyId;
      await contractWithObligations(uniqueName('Searchable Lumen'), 'lumen contract');
    });

    it('finds a counterparty by part of its name, typed any way, or by its id', async () => {
      const byName = await store.searchObligations({ counterparty: `${northwind.toUpperCase()} INC` }, page);
      expect(byName.total).toBe(2);
      expect(byName.items.every((o) => o.counterpartyName === `${northwind}, Inc.`)).toBe(true);
      const byPart = await store.searchObligations({ counterparty: northwind.split(' ')[2] }, page);
      expect(byPart.total).toBe(2);
      const byId = await store.searchObligations({ counterparty: northwindId }, page);
      expect(byId.total).toBe(2);
      // LIKE wildcards in a name are matched literally.
      expect((await store.searchObligations({ counterparty: '%' }, page)).total).toBe(0);
    });

    it('filters by clause type, action, obligor and trigger', async () => {
      const insurance = await store.searchObligations({ counterparty: northwind, type: 'insurance' }, page);
      expect(insurance.items.map((o) => o.action)).toEqual(['maintain_insurance']);
      const notify = await store.searchObligations({ counterparty: northwind, action: 'notify_incident' }, page);
      expect(notify.items.map((o) => o.summary)).toEqual(['Notify of a security incident within 72 hours']);
      expect((await store.searchObligations({ counterparty: northwind, obligor: 'us' }, page)).total).toBe(0);
      expect((await store.searchObligations({ counterparty: northwind, trigger: 'none' }, page)).total).toBe(1);
    });

    it('searches the clause text by words, with the evidence of each result', async () => {
      const byWord = await store.searchObligations({ counterparty: northwind, q: 'insurance' }, page);
      expect(byWord.total).toBe(1);
      expect(byWord.items[0].quote).toContain('cyber insurance');
      expect(byWord.items[0]).toMatchObject({ page: 1, type: 'insurance' });
      const text = (await store.getContractText(byWord.items[0].contractId))!.text;
      expect(text.slice(byWord.items[0].start, byWord.items[0].end)).toBe(byWord.items[0].quote);

      // English stemming: "notifying incidents" finds "notify ... Security Incident".
      const stemmed = await store.searchObligations({ counterparty: northwind, q: 'notifying incidents' }, page);
      expect(stemmed.items.map((o) => o.action)).toEqual(['notify_incident']);
      expect((await store.searchObligations({ counterparty: northwind, q: 'arbitration' }, page)).total).toBe(0);
    });

    it('treats SQL in the search words as words: nothing found, nothing dropped', async () => {
      const found = await store.searchObligations({ q: "'; drop table clause; --" }, page);
      expect(found).toMatchObject({ total: 0, items: [] });
      const again = await store.searchObligations({ counterparty: "x'; drop table obligation; --", type: "' OR 1=1 --" }, page);
      expect(again.total).toBe(0);
      expect((await store.searchObligations({ counterparty: northwind }, page)).total).toBe(2);
    });

    it('exports past the page limit: the first rows in search order, and the total of all', async () => {
      const bulk = uniqueName('Exported Vendor');
      for (let i = 0; i < 3; i++) await contractWithObligations(bulk, `exported contract ${i}`);
      const all = await store.exportObligations({ counterparty: bulk }, 10_000);
      expect([all.total, all.items.length]).toEqual([6, 6]);
      const searched = await store.searchObligations({ counterparty: bulk }, { limit: 100, offset: 0 });
      expect(all.items.map((o) => o.id)).toEqual(searched.items.map((o) => o.id));
      const cut = await store.exportObligations({ counterparty: bulk, type: 'insurance' }, 2);
      expect([cut.total, cut.items.length]).toEqual([3, 2]);
      expect(cut.items[0]).toMatchObject({ action: 'maintain_insurance', page: 1, quote: expect.stringContaining('cyber insurance') });
      expect(await store.exportObligations({ contractId: 'not-a-uuid' }, 10)).toEqual({ items: [], total: 0 });
    });

    it('pages through the results with the total of all pages', async () => {
      const paged = uniqueName('Paged Vendor');
      for (let i = 0; i < 3; i++) await contractWithObligations(paged, `paged contract ${i}`);
      const first = await store.searchObligations({ counterparty: paged }, { limit: 4, offset: 0 });
      const second = await store.searchObligations({ counterparty: paged }, { limit: 4, offset: 4 });
      expect([first.total, first.items.length, second.total, second.items.length]).toEqual([6, 4, 6, 2]);
      const ids = new Set([...first.items, ...second.items].map((o) => o.id));
      expect(ids.size).toBe(6);
      // past the last page: no items, and still the true total
      const beyond = await store.searchObligations({ counterparty: paged, q: 'supplier' }, { limit: 4, offset: 8 });
      expect([beyond.total, beyond.items.length]).toEqual([6, 0]);

      const contracts = await store.listContracts({ counterparty: paged }, { limit: 2, offset: 2 });
      expect([contracts.total, contracts.items.length]).toEqual([3, 1]);
    });
  });

  it("lists each contract with its clause count and its findings counted by outcome, computed for the page's contracts", async () => {
    const name = uniqueName('Counted Vendor');
    const scored = await contractWithObligations(name, 'counted and scored');
    const extracted = await contractWithObligations(name, 'counted, not scored');
    const { contract: queued } = await store.createContract(upload(name, 'not processed'), 'analyst-1');
    const finding = (itemId: string, outcome: 'met' | 'not_met' | 'needs_review' | 'missing', clauseId: string | null) => ({
      itemId,
      title: itemId,
      clauseType: 'breach_notification',
      outcome,
      detail: outcome,
      clauseId,
      value: null,
    });
    await store.saveFindings(scored.contract.id, [
      finding('incident_notice', 'not_met', scored.clauses[0].id),
      finding('cyber_insurance', 'met', scored.clauses[1].id),
      finding('incident_clock', 'needs_review', scored.clauses[0].id),
      finding('audit_rights', 'missing', null),
      finding('data_exit', 'missing', null),
    ]);

    const listed = await store.listContracts({ counterparty: name }, page);
    expect(listed.total).toBe(3);
    const counts = new Map(listed.items.map((c) => [c.id, [c.clauseCount, c.findings]]));
    expect(counts.get(scored.contract.id)).toEqual([2, { met: 1, not_met: 1, needs_review: 1, missing: 2 }]);
    expect(counts.get(extracted.contract.id)).toEqual([2, { met: 0, not_met: 0, needs_review: 0, missing: 0 }]);
    expect(counts.get(queued.id)).toEqual([0, { met: 0, not_met: 0, needs_review: 0, missing: 0 }]);
    // a page of one: its contract keeps its own counts, in the same order as before
    for (let offset = 0; offset < 3; offset++) {
      const one = await store.listContracts({ counterparty: name }, { limit: 1, offset });
      expect(one.items).toEqual([listed.items[offset]]);
    }
    expect(listed.items[0]).toMatchObject({ counterpartyName: name, status: 'queued', fileName: 'contract.txt', errorCode: null });
    expect(listed.items[0].createdAt).toBeInstanceOf(Date);
  });

  it('lists contracts and counterparties with filters', async () => {
    const name = uniqueName('Listed Vendor');
    const { contract } = await store.createContract(upload(name, 'to be listed'), 'analyst-1');
    await store.setStatus(contract.id, 'failed', { code: 'PDF_CORRUPT', detail: 'The PDF is damaged.' });
    const failed = await store.listContracts({ counterparty: name, status: 'failed' }, page);
    expect(failed.items.map((c) => [c.id, c.errorCode, c.errorDetail])).toEqual([[contract.id, 'PDF_CORRUPT', 'The PDF is damaged.']]);
    expect((await store.listContracts({ counterparty: name, status: 'done' }, page)).total).toBe(0);

    const counterparties = await store.listCounterparties(page, name.toUpperCase());
    expect(counterparties.items.map((c) => c.name)).toEqual([name]);
    expect(await store.getCounterparty('not-a-uuid')).toBeNull();
    expect(await store.getContract('not-a-uuid')).toBeNull();
  });

  it('finds a counterparty by one of its aliases, and never every counterparty by JSON punctuation', async () => {
    const base = uniqueName('Alias Vendor');
    await store.createContract(upload(`${base} Ltd`, 'first name'), 'analyst-1');
    await store.createContract(upload(`${base.toUpperCase()} LIMITED`, 'second name'), 'analyst-1');
    const byAlias = await store.listCounterparties(page, `${base.split(' ').pop()} limited`);
    expect(byAlias.items.map((c) => [c.name, c.aliases])).toEqual([[`${base} Ltd`, [`${base.toUpperCase()} LIMITED`]]]);
    for (const punctuation of ['[', ']', '"', '","']) {
      expect([punctuation, (await store.listCounterparties(page, punctuation)).total]).toEqual([punctuation, 0]);
    }
  });

  it('lists the contracts still to be processed, and clears the error once one succeeds', async () => {
    const { contract } = await store.createContract(upload(uniqueName('Pending Vendor'), 'pending'), 'analyst-1');
    expect(await store.listUnfinishedContractIds()).toContain(contract.id);
    await store.setStatus(contract.id, 'processing');
    expect(await store.listUnfinishedContractIds()).toContain(contract.id);
    await store.setStatus(contract.id, 'failed', { code: 'NEEDS_OCR', detail: 'scanned' });
    expect(await store.listUnfinishedContractIds()).not.toContain(contract.id);
    await store.setStatus(contract.id, 'done');
    expect(await store.getContract(contract.id)).toMatchObject({ status: 'done', errorCode: null, errorDetail: null });
  });

  it('deletes a contract with its clauses and obligations, and records who did it', async () => {
    const { contract } = await contractWithObligations(uniqueName('Deleted Vendor'), 'to be deleted');
    expect(await store.deleteContract(contract.id, 'admin-1')).toBe(true);
    expect(await store.getContract(contract.id)).toBeNull();
    expect(await store.listClauses(contract.id)).toEqual([]);
    expect((await store.searchObligations({ contractId: contract.id }, page)).total).toBe(0);
    const left = (await store.dataSource.query('SELECT count(*) AS n FROM clause WHERE contract_id = $1', [contract.id])) as { n: string }[];
    expect(Number(left[0].n)).toBe(0);
    expect(await store.deleteContract(contract.id, 'admin-1')).toBe(false);

    const audit = await store.listAudit({ limit: 1000, offset: 0 });
    const deletes = audit.items.filter((e) => e.action === 'contract.delete' && e.entityId === contract.id);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toMatchObject({ actor: 'admin-1', entity: 'contract' });
  });

  it('writes an audit event for uploads, duplicates and explicit entries', async () => {
    const { contract } = await store.createContract(upload(uniqueName('Audited Vendor'), 'audited'), 'analyst-7');
    await store.createContract(upload(uniqueName('Audited Vendor'), 'audited'), 'analyst-8');
    await store.audit({ actor: 'system', action: 'contract.reprocess', entity: 'contract', entityId: contract.id, details: { reason: 'test' } });
    const audit = await store.listAudit({ limit: 1000, offset: 0 });
    const mine = audit.items.filter((e) => e.entityId === contract.id);
    expect(mine.map((e) => [e.action, e.actor]).sort()).toEqual([
      ['contract.reprocess', 'system'],
      ['contract.upload', 'analyst-7'],
    ]);
    expect(mine.find((e) => e.action === 'contract.upload')?.details).toMatchObject({ duplicate: false, fileName: 'contract.txt' });
    expect(audit.total).toBeGreaterThanOrEqual(mine.length);
    expect(audit.items[0].at.getTime()).toBeGreaterThanOrEqual(audit.items[audit.items.length - 1].at.getTime());
  });

  it('creates, finds and revokes tokens, auditing both without the hash', async () => {
    const before = await store.countTokens();
    const hash = `hash-${uniqueName('t')}`;
    const token = await store.createToken({ name: 'legal-team', role: 'legal', hash, expiresAt: new Date('2030-01-01T00:00:00Z') }, 'admin-1');
    expect(await store.countTokens()).toBe(before + 1);
    expect(await store.findTokenByHash(hash)).toEqual(token);
    expect(token).toMatchObject({ name: 'legal-team', role: 'legal', revokedAt: null, expiresAt: new Date('2030-01-01T00:00:00Z') });
    expect(await store.findTokenByHash('no-such-hash')).toBeNull();
    await expect(store.createToken({ name: 'copy', role: 'admin', hash }, 'admin-1')).rejects.toThrow();

    expect(await store.revokeToken(token.id, 'admin-2')).toBe(true);
    expect((await store.findTokenByHash(hash))?.revokedAt).toBeInstanceOf(Date);
    expect(await store.revokeToken('00000000-0000-4000-8000-000000000000', 'admin-2')).toBe(false);

    const events = (await store.listAudit({ limit: 1000, offset: 0 })).items.filter((e) => e.entityId === token.id);
    expect(events.map((e) => [e.action, e.actor]).sort()).toEqual([
      ['token.create', 'admin-1'],
      ['token.revoke', 'admin-2'],
    ]);
    expect(JSON.stringify(events)).not.toContain(hash);
  });

  it('isolates concurrent transactions: a rolled-back one leaves nothing, the other keeps all its rows', async () => {
    const tag = uniqueName('isolation');
    const insert = (m: { query: (sql: string, params: unknown[]) => Promise<unknown> }, actor: string) =>
      m.query(`INSERT INTO audit_event (actor, action, entity) VALUES ($1, $2, 'test')`, [actor, tag]);
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

    const kept = store.dataSource.transaction(async (m) => {
      for (let i = 0; i < 3; i++) {
        await insert(m, 'kept');
        await pause();
      }
    });
    const rolledBack = store.dataSource.transaction(async (m) => {
      for (let i = 0; i < 3; i++) {
        await insert(m, 'rolled-back');
        await pause();
      }
      throw new Error('roll this one back');
    });
    const results = await Promise.allSettled([kept, rolledBack]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);

    const rows = (await store.dataSource.query(`SELECT actor FROM audit_event WHERE action = $1`, [tag])) as { actor: string }[];
    expect(rows.map((r) => r.actor)).toEqual(['kept', 'kept', 'kept']);
  });
});
