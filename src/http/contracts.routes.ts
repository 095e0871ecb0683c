import { z } from 'zod';
import { CONTRACT_STATUSES, OUR_ROLES } from '../db/store';
import { AppError } from '../errors';
import { API, type RouteContext } from './context';
import { assertStorable } from './request-guards';
import { contentDisposition, displayName, mediaTypeOf, sha256, uploadMiddleware } from './upload';
import { IdParams, PageQuery, textParam, validate } from './validate';

/** A field sent twice arrives as an array: say so rather than "is required". */
const formText = (required: boolean) =>
  z.string({ error: (issue) => (issue.input === undefined && required ? 'is required' : 'must be given once, as text') });

/** Form fields arrive as text; an empty optional field means "not given". */
const optionalText = (max: number) =>
  formText(false)
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((v) => (v ? v : null));

// strict: a misspelt field ("counterpart") is refused, not silently dropped
const UploadBody = z.strictObject({
  counterparty: formText(true).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  role: z.enum(OUR_ROLES, { error: 'must be customer or provider (our side of the contract)' }),
  title: optionalText(300),
  kind: optionalText(64),
});

const ListQuery = z.strictObject({
  counterparty: textParam().optional(),
  status: z.enum(CONTRACT_STATUSES, { error: `must be one of ${CONTRACT_STATUSES.join(', ')}` }).optional(),
  ...PageQuery,
});

/** Obligations of one contract or counterparty shown in full on its page; far above any real contract. */
const ALL = { limit: 1000, offset: 0 };

export function registerContractRoutes({ app, store, jobs, config, allow }: RouteContext): void {
  const notFound = (id: string) => new AppError('CONTRACT_NOT_FOUND', 404, `No contract ${id}.`);

  app.post(`${API}/contracts`, allow('contracts:upload'), uploadMiddleware(config), async (req, res) => {
    const file = req.file;
    if (!file) throw new AppError('VALIDATION_FAILED', 400, 'body.file: is required (multipart/form-data, one file in the field "file")');
    assertStorable(req.body ?? {}, 'body');
    const body = validate(UploadBody, req.body ?? {}, 'body');
    const mediaType = mediaTypeOf(file.buffer);
    const actor = req.token!.name;
    const { contract, duplicate } = await store.createContract(
      {
        counterparty: body.counterparty,
        ourRole: body.role,
        title: body.title,
        kind: body.kind,
        fileName: displayName(file.originalname),
        mediaType,
        bytes: file.buffer,
        sha256: sha256(file.buffer),
      },
      actor,
    );
    if (!duplicate) {
      // the contract is stored as queued either way; an unfinished contract is queued again when the queue is back
      try {
        if (!(await jobs.enqueueExtract(contract.id))) req.log.warn({ contractId: contract.id }, 'extract job not queued now; will be queued again');
      } catch (err) {
        req.log.warn({ err, contractId: contract.id }, 'extract job not queued now; will be queued again');
      }
    }
    req.log.info({ contractId: contract.id, size: file.size, mediaType, duplicate }, 'contract uploaded');
    res.status(202).location(`${API}/contracts/${contract.id}`).json({ id: contract.id, status: contract.status, duplicate });
  });

  app.get(`${API}/contracts`, allow('contracts:read'), async (req, res) => {
    const q = validate(ListQuery, req.query, 'query');
    res.json(await store.listContracts({ counterparty: q.counterparty, status: q.status }, { limit: q.limit, offset: q.offset }));
  });

  app.get(`${API}/contracts/:id`, allow('contracts:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const contract = await store.getContract(id);
    if (!contract) throw notFound(id);
    const [clauses, obligations] = await Promise.all([store.listClauses(id), store.searchObligations({ contractId: id }, ALL)]);
    res.json({ ...contract, clauses, obligations: obligations.items });
  });

  app.get(`${API}/contracts/:id/file`, allow('contracts:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const file = await store.getContractFile(id);
    if (!file) throw notFound(id);
    res.setHeader('Content-Type', file.mediaType);
    res.setHeader('Content-Disposition', contentDisposition(file.fileName));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // an uploaded document is never a page of this site
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.send(file.bytes);
  });

  app.get(`${API}/contracts/:id/text`, allow('contracts:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const contract = await store.getContract(id);
    if (!contract) throw notFound(id);
    const text = await store.getContractText(id);
    if (!text) throw new AppError('TEXT_NOT_READY', 409, `The contract's text is not extracted yet (status ${contract.status}).`);
    res.json({ text: text.text, pages: text.pages });
  });

  app.get(`${API}/contracts/:id/findings`, allow('contracts:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const contract = await store.getContract(id);
    if (!contract) throw notFound(id);
    const findings = await store.listFindings(id);
    res.json({ contractId: id, status: contract.status, items: findings.map(({ contractId: _contractId, ...f }) => f) });
  });

  app.post(`${API}/contracts/:id/reprocess`, allow('contracts:reprocess'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const contract = await store.getContract(id);
    if (!contract) throw notFound(id);
    await store.setStatus(id, 'queued');
    await store.audit({ actor: req.token!.name, action: 'contract.reprocess', entity: 'contract', entityId: id });
    try {
      if (!(await jobs.enqueueExtract(id))) req.log.warn({ contractId: id }, 'extract job not queued now; will be queued again');
    } catch (err) {
      req.log.warn({ err, contractId: id }, 'extract job not queued now; will be queued again');
    }
    res.status(202).location(`${API}/contracts/${id}`).json({ id, status: 'queued' });
  });

  app.delete(`${API}/contracts/:id`, allow('contracts:delete'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    if (!(await store.deleteContract(id, req.token!.name))) throw notFound(id);
    res.status(204).end();
  });
}
