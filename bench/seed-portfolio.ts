/**
 * A vendor portfolio for the load benchmark, loaded with bulk SQL: 10,000 done
 * contracts of 500 counterparties with 200,000 (clause, obligation) pairs taken
 * from the fixture contracts (bench-data.ts loadContractBook: one multi-row
 * INSERT ... SELECT per 1,000 contracts), then a small text per contract: its
 * clauses one after another, with each clause's offsets moved to where it now
 * stands, so that `text.slice(start, end)` is the clause, as in a real upload.
 */
import { type Client } from 'pg';
import { type Config } from '../src/config';
import { loadContractBook, ms } from './bench-data';

export interface Portfolio {
  /** the counterparties' names, as stored */
  names: string[];
  contracts: number;
  clauses: number;
  obligations: number;
  counterparties: number;
  /** contracts where we are the provider (customers' contracts) */
  customerContracts: number;
  /** fixture (clause, obligation) pairs the rows are spread over */
  templates: number;
  /** clause + obligation + contract tables, as PostgreSQL reports them */
  size: string;
  seedS: number;
  /** of which the contracts, clauses and obligations (loadContractBook) */
  bookS: number;
}

export async function seedPortfolio(
  client: Client,
  config: Config,
  book = { contracts: 10_000, obligationsPerContract: 20, counterparties: 500, providerEvery: 3 },
): Promise<Portfolio> {
  const t0 = process.hrtime.bigint();
  const loaded = await loadContractBook(async (sql, params) => (await client.query(sql, params)).rows, config, book);
  const bookS = ms(t0) / 1000;

  // One pass over the clauses: their place in the contract's text (two newlines between clauses).
  await client.query(`CREATE TEMP TABLE placed AS
    SELECT c.id, c.contract_id, o.clause_index,
           COALESCE(sum(char_length(c.text) + 2) OVER (PARTITION BY c.contract_id ORDER BY o.clause_index
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::int AS at
      FROM clause c JOIN obligation o ON o.clause_id = c.id`);
  await client.query(`UPDATE clause c SET start = p.at, "end" = p.at + char_length(c.text), page = 1 FROM placed p WHERE p.id = c.id`);
  await client.query(
    `UPDATE contract ct SET text = t.text, pages = jsonb_build_array(jsonb_build_object('number', 1, 'start', 0, 'end', char_length(t.text))), page_count = 1
       FROM (SELECT p.contract_id, string_agg(c.text, E'\\n\\n' ORDER BY p.clause_index) AS text
               FROM placed p JOIN clause c ON c.id = p.id GROUP BY p.contract_id) t
      WHERE t.contract_id = ct.id`,
  );
  await client.query('DROP TABLE placed');
  // the updates left a dead row behind every live one
  await client.query('VACUUM ANALYZE clause');
  await client.query('VACUUM ANALYZE contract');
  const seedS = ms(t0) / 1000;

  const [sizes] = (
    await client.query(
      `SELECT (SELECT count(*)::int FROM contract) AS contracts, (SELECT count(*)::int FROM clause) AS clauses,
              (SELECT count(*)::int FROM obligation) AS obligations, (SELECT count(*)::int FROM counterparty) AS counterparties,
              (SELECT count(*)::int FROM contract WHERE our_role = 'provider') AS customer_contracts,
              pg_size_pretty(pg_total_relation_size('clause') + pg_total_relation_size('obligation') + pg_total_relation_size('contract')) AS size`,
    )
  ).rows as { contracts: number; clauses: number; obligations: number; counterparties: number; customer_contracts: number; size: string }[];
  // The evidence rule holds for every seeded clause, or the data is not shaped like the real thing.
  const [broken] = (
    await client.query(`SELECT count(*)::int AS n FROM clause c JOIN contract ct ON ct.id = c.contract_id
                         WHERE substr(ct.text, c.start + 1, c."end" - c.start) <> c.text`)
  ).rows as { n: number }[];
  if (broken.n > 0) throw new Error(`${broken.n} seeded clauses do not match their contract's text at their offsets`);

  return {
    names: loaded.names,
    contracts: sizes.contracts,
    clauses: sizes.clauses,
    obligations: sizes.obligations,
    counterparties: sizes.counterparties,
    customerContracts: sizes.customer_contracts,
    templates: loaded.templates,
    size: sizes.size,
    seedS: Number(seedS.toFixed(1)),
    bookS: Number(bookS.toFixed(1)),
  };
}
