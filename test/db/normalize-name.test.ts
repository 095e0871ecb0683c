import { normalizeCounterpartyName } from '../../src/db/normalize-name';

describe('counterparty names', () => {
  it.each([
    ['Northwind Security, Inc.', 'northwind security'],
    ['NORTHWIND SECURITY INC', 'northwind security'],
    ['Northwind Security', 'northwind security'],
    ['Acme Co., Ltd.', 'acme'],
    ['Lumen Data GmbH', 'lumen data'],
    ['Blue Harbor L.L.C.', 'blue harbor'],
    ['Société Générale S.A.', 'societe generale'],
    ['Smith & Jones Limited', 'smith and jones'],
    ["O'Neil Systems Corp.", 'oneil systems'],
  ])('%s is found as "%s"', (typed, key) => {
    expect(normalizeCounterpartyName(typed)).toBe(key);
  });

  it('never folds a name down to nothing', () => {
    expect(normalizeCounterpartyName('Limited')).toBe('limited');
    expect(normalizeCounterpartyName('  ...  ')).toBe('');
  });
});
