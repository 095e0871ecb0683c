import { z } from 'zod';
import { AppError } from '../errors';
import { renderObligationsCsv } from '../obligations/csv';
import { PARTIES } from '../obligations/types';
import { API, type RouteContext } from './context';
import { codeParam, IdParams, MAX_EXPORT_ROWS, PageQuery, textParam, validate } from './validate';

const CounterpartyQuery = z.strictObject({ q: textParam().optional(), ...PageQuery });

const ObligationQuery = z.strictObject({
  counterparty: textParam().optional(),
  contract: IdParams.shape.id.optional(),
  type: codeParam.optional(),
  action: codeParam.optional(),
  obligor: z.enum(PARTIES, { error: 'must be us, counterparty or both' }).optional(),
  trigger: codeParam.optional(),
  q: textParam().optional(),
  ...PageQuery,
});

const AuditQuery = z.strictObject({ ...PageQuery });

const ALL = { limit: 1000, offset: 0 };

/** Counterparties, obligation search and export, and the audit trail: reads only. */
export function registerSearchRoutes({ app, store, allow }: RouteContext): void {
  app.get(`${API}/counterparties`, allow('contracts:read'), async (req, res) => {
    const q = validate(CounterpartyQuery, req.query, 'query');
    res.json(await store.listCounterparties({ limit: q.limit, offset: q.offset }, q.q));
  });

  app.get(`${API}/counterparties/:id`, allow('contracts:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const counterparty = await store.getCounterparty(id);
    if (!counterparty) throw new AppError('COUNTERPARTY_NOT_FOUND', 404, `No counterparty ${id}.`);
    const [contracts, obligations] = await Promise.all([
      store.listContracts({ counterparty: id }, { limit: 100, offset: 0 }),
      store.searchObligations({ counterparty: id }, ALL),
    ]);
    res.json({ ...counterparty, contracts: contracts.items, obligations: obligations.items });
  });

  app.get(`${API}/obligations`, allow('obligations:search'), async (req, res) => {
    const { contract, limit, offset, ...filter } = validate(ObligationQuery, req.query, 'query');
    res.json(await store.searchObligations({ ...filter, contractId: contract }, { limit, offset }));
  });

  app.get(`${API}/obligations.csv`, allow('obligations:search'), async (req, res) => {
    // the list's own query string works here too; the file holds every match, so its page is ignored
    const { contract, limit: _limit, offset: _offset, ...filter } = validate(ObligationQuery, req.query, 'query');
    const { items, total } = await store.exportObligations({ ...filter, contractId: contract }, MAX_EXPORT_ROWS);
    if (total > items.length) res.setHeader('X-Truncated', 'true');
    res.setHeader('Content-Disposition', 'attachment; filename="obligations.csv"');
    res.type('text/csv; charset=utf-8').send(renderObligationsCsv(items));
  });

  app.get(`${API}/audit`, allow('audit:read'), async (req, res) => {
    const q = validate(AuditQuery, req.query, 'query');
    res.json(await store.listAudit({ limit: q.limit, offset: q.offset }));
  });
}
