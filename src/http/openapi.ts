import { ROLE_PERMISSIONS, rolesWith, type Permission } from '../auth/permissions';
import { CONTRACT_STATUSES, OUR_ROLES } from '../db/store';
import { DATA_CATEGORIES, INCIDENT_ORIGINS, INCIDENT_SEVERITIES, INCIDENT_STATUSES, OUR_DATA_ROLES } from '../obligations/incident-types';
import { OBLIGATION_ACTIONS, OBLIGATION_TRIGGERS, PARTIES } from '../obligations/types';
import { OUTCOMES } from '../policies';
import { MAX_EXPORT_ROWS, MAX_PAGE } from './validate';

/**
 * The API described for people and tools (OpenAPI 3.1). Written by hand; a
 * test checks that every route the app serves is here and every path here is
 * served. Paths are absolute (probes live at the root, the API under /api/v1).
 */
type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const json = (description: string, schema: Json) => ({ description, content: { 'application/json': { schema } } });

const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, description: `The ${what}'s id.`, schema: { type: 'string', format: 'uuid' } });
const query = (name: string, description: string, schema: Json = { type: 'string', maxLength: 200 }) => ({ name, in: 'query', required: false, description, schema });
const pageParams = [
  query('limit', `Items per page (1 to ${MAX_PAGE}).`, { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 20 }),
  query('offset', 'Items to skip.', { type: 'integer', minimum: 0, default: 0 }),
];
const code = { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', maxLength: 64 };

const authErrors = {
  '401': problemResponse('No token, or an unknown, revoked or expired one (UNAUTHENTICATED, INVALID_TOKEN).'),
  '403': problemResponse("The token's role may not do this (FORBIDDEN)."),
  '429': problemResponse(
    'Too many requests with this token (RATE_LIMITED, PACTWATCH_RATE_LIMIT a minute), or too many refused tokens from this address (TOO_MANY_FAILED_SIGN_INS, PACTWATCH_AUTH_FAILURE_LIMIT in 15 minutes); `Retry-After` says when to try again.',
  ),
};
const badRequest = { '400': problemResponse('A parameter is invalid (VALIDATION_FAILED names it).') };
const notFound = (what: string) => ({ '404': problemResponse(`No such ${what}.`) });

/** An operation that needs a token with `permission`; the roles listed are the ones holding it. */
function guarded(permission: Permission, op: Json & { responses: Json }): Json {
  const roles = rolesWith(permission);
  return {
    ...op,
    description: `${op.description ? `${String(op.description)}\n\n` : ''}Roles: ${roles.join(', ')}.`,
    security: [{ bearer: [] }],
    'x-roles': roles,
    responses: { ...op.responses, ...authErrors },
  };
}

const paged = (item: string) => ({
  type: 'object',
  required: ['items', 'total', 'limit', 'offset'],
  properties: { items: { type: 'array', items: ref(item) }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } },
});

/** Every `code` a problem response can carry, with what it means; the docs page lists them. */
export const ERROR_CODES: Record<string, string> = {
  BAD_REQUEST: '400: the path, a header or the body could not be read at all.',
  TOO_MANY_PARAMETERS: '400: the query string has more than 50 parameters.',
  VALIDATION_FAILED: '400: a query parameter, form field or path id is invalid; the detail names it.',
  MALFORMED_JSON: '400: the request body is not valid JSON.',
  MALFORMED_MULTIPART: '400: the multipart form could not be read.',
  TOO_MANY_FILES: '400: more than one file, or a file in a field other than "file".',
  EMPTY_FILE: '400: the uploaded file is empty or only white space.',
  UNAUTHENTICATED: '401: no Authorization header.',
  INVALID_TOKEN: '401: the token is unknown, revoked or expired.',
  FORBIDDEN: "403: the token's role may not do this.",
  NOT_FOUND: '404: no such route.',
  METHOD_NOT_ALLOWED: '405: the path exists but not with this method; `Allow` lists the methods it takes.',
  REQUEST_TIMEOUT: "408: the request did not arrive in time (Node's request timeout).",
  CONTRACT_NOT_FOUND: '404: no contract with this id.',
  COUNTERPARTY_NOT_FOUND: '404: no counterparty with this id.',
  INCIDENT_NOT_FOUND: '404: no incident with this id.',
  DEADLINE_NOT_FOUND: '404: no deadline with this id (or it no longer applies after a change to its incident).',
  INVALID_COUNTERPARTY: '400: the counterparty named on an upload has no letter or digit in its name.',
  UNKNOWN_COUNTERPARTY: '400: an incident names a counterparty we hold no contract with; the detail names it.',
  TEXT_NOT_READY: "409: the contract's text is not extracted yet.",
  FILE_TOO_LARGE: '413: the file is over the size limit (PACTWATCH_MAX_FILE_BYTES).',
  FORM_TOO_LARGE: '413: the form has too many or too long fields.',
  BODY_TOO_LARGE: '413: the JSON body is too large (64 KB at most).',
  URI_TOO_LONG: '414: the URL (path and query string) is over 8 KB.',
  UNSUPPORTED_FORMAT: '415: the bytes are not a PDF, a DOCX or text.',
  UNSUPPORTED_MEDIA_TYPE: '415: the body is not in the type the route reads (JSON in UTF-8; multipart/form-data for uploads), or its Content-Encoding is unknown.',
  RATE_LIMITED: '429: more requests with this token (or, without one, from this address) than PACTWATCH_RATE_LIMIT a minute; `Retry-After` gives the seconds to wait.',
  TOO_MANY_FAILED_SIGN_INS:
    '429: this address presented more refused tokens than PACTWATCH_AUTH_FAILURE_LIMIT in 15 minutes; no token from it is looked at until `Retry-After` seconds have passed.',
  HEADERS_TOO_LARGE: '431: the request headers are too large.',
  INTERNAL: '500: a fault on our side; the requestId finds it in the logs.',
  NOT_READY: '503: the database or the queue is not answering (readiness probe).',
};

/** The fields of an incident as declared; an update takes any of them. */
const INCIDENT_INPUT_PROPERTIES: Json = {
  title: { type: 'string', maxLength: 300 },
  description: { type: ['string', 'null'], maxLength: 20000 },
  origin: { type: 'string', enum: ['ours', 'vendor'], description: 'ours: in our own systems; vendor: reported by a counterparty.' },
  status: { type: 'string', enum: ['suspected', 'confirmed', 'contained', 'closed'], default: 'suspected' },
  severity: { type: ['string', 'null'], enum: ['low', 'medium', 'high', 'critical', null] },
  occurredAt: ref('Instant'),
  detectedAt: ref('Instant'),
  awareAt: ref('Instant'),
  confirmedAt: ref('Instant'),
  determinedAt: ref('Instant'),
  extortionPaymentAt: ref('Instant'),
  dataCategories: { type: 'array', items: { type: 'string', enum: ['personal_data', 'special_categories', 'health_data', 'cardholder_data', 'credentials', 'customer_content', 'none'] } },
  jurisdictions: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$' }, description: 'EU, UK, US, US-NY, DE, IN, ...' },
  sectors: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' }, description: 'financial_services, health, public_company, essential_entity, ny_dfs_licensed, ...' },
  counterparties: { oneOf: [{ type: 'array', items: { type: 'string', maxLength: 200 } }, { const: 'all' }], description: 'Names or ids, or "all" (every customer).' },
  affectedCount: { type: ['integer', 'null'], minimum: 0 },
  timeZone: { type: 'string', default: 'UTC', description: 'IANA zone, e.g. Europe/Berlin.' },
  ourDataRole: { type: ['string', 'null'], enum: ['controller', 'processor', null] },
};

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Json>>;
  [member: string]: unknown;
}

export const openapi: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Pactwatch API',
    version: '1.0.0',
    description:
      'Upload SaaS and security-service contracts, let the background jobs find their clauses and obligations, and search them by counterparty. ' +
      'Send `Authorization: Bearer <token>` (tokens come from `pactwatch token create`). Errors are `application/problem+json` with a stable `code`.',
  },
  servers: [{ url: '/' }],
  tags: [
    { name: 'session', description: 'Who the caller is, and the vocabularies the forms offer.' },
    { name: 'contracts' },
    { name: 'counterparties' },
    { name: 'obligations' },
    { name: 'incidents', description: 'Incidents, the contractual and regulatory deadlines they start, and their tracking.' },
    { name: 'admin' },
    { name: 'operations', description: 'Probes, metrics and this document.' },
  ],
  paths: {
    '/healthz': {
      get: {
        tags: ['operations'],
        operationId: 'health',
        summary: 'The process is up',
        description: 'No token needed.',
        responses: { '200': json('Up.', { type: 'object', properties: { status: { const: 'ok' } } }) },
      },
    },
    '/readyz': {
      get: {
        tags: ['operations'],
        operationId: 'ready',
        summary: 'The database and the job queue answer',
        description: 'No token needed.',
        responses: {
          '200': json('Ready.', ref('Readiness')),
          '503': problemResponse('Not ready (NOT_READY); `checks` says which dependency is down.'),
        },
      },
    },
    '/metrics': {
      get: guarded('metrics:read', {
        tags: ['operations'],
        operationId: 'metrics',
        summary: 'Prometheus metrics',
        description: 'Requests by route and status, their durations, and job counts by queue and state, in the Prometheus text format.',
        responses: { '200': { description: 'Metrics.', content: { 'text/plain': { schema: { type: 'string' } } } } },
      }),
    },
    '/api/v1/openapi.json': {
      get: {
        tags: ['operations'],
        operationId: 'openapi',
        summary: 'This document',
        description: 'No token needed.',
        responses: { '200': json('The OpenAPI 3.1 document.', { type: 'object' }) },
      },
    },
    '/api/v1/docs': {
      get: {
        tags: ['operations'],
        operationId: 'docs',
        summary: 'This document as a web page',
        description: 'No token needed.',
        responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    '/api/v1/me': {
      get: guarded('contracts:read', {
        tags: ['session'],
        operationId: 'me',
        summary: 'The calling token: its name, role and what the role may do',
        description: 'Any valid token. The pages show who is signed in and hide what the role cannot use.',
        responses: { '200': json('The caller.', ref('Me')) },
      }),
    },
    '/api/v1/meta': {
      get: guarded('contracts:read', {
        tags: ['session'],
        operationId: 'meta',
        summary: 'The vocabularies the forms offer',
        description:
          'Clause types (from rules/clause-types.yaml), obligation actions, obligors and triggers, incident statuses, origins, severities, data categories, ' +
          'the jurisdictions and sectors the regulation rules test for, our data roles, policy outcomes, contract statuses, our contract roles, ' +
          "and the codes a contract's processing can fail with, each with a line saying what it means. Any valid token.",
        responses: { '200': json('The vocabularies.', ref('Meta')) },
      }),
    },
    '/api/v1/contracts': {
      post: guarded('contracts:upload', {
        tags: ['contracts'],
        operationId: 'uploadContract',
        summary: 'Upload a contract',
        description:
          'The format is decided from the bytes (PDF, DOCX or text), never from the file name. The same file uploaded again for the same counterparty ' +
          'is recognised by its SHA-256 and answered with the existing contract (`duplicate: true`), not processed twice. Processing runs in the background: poll the contract.',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file', 'counterparty', 'role'],
                properties: {
                  file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The document (PDF, DOCX or text).' },
                  counterparty: { type: 'string', maxLength: 200, description: 'The other party, as named in the contract.' },
                  role: { type: 'string', enum: ['customer', 'provider'], description: 'Our side of the contract.' },
                  title: { type: 'string', maxLength: 300 },
                  kind: { type: 'string', maxLength: 64, description: 'MSA, DPA, SLA, security addendum, BAA, SOW, ...' },
                },
              },
            },
          },
        },
        responses: {
          '202': json('Accepted; processing is queued (or was done before, for a duplicate).', ref('UploadAccepted')),
          ...badRequest,
          '413': problemResponse('The file is over the size limit (FILE_TOO_LARGE).'),
          '415': problemResponse('The bytes are not a PDF, a DOCX or text (UNSUPPORTED_FORMAT).'),
        },
      }),
      get: guarded('contracts:read', {
        tags: ['contracts'],
        operationId: 'listContracts',
        summary: 'List contracts',
        parameters: [
          query('counterparty', "A counterparty's id or part of its name."),
          query('status', 'Only contracts in this state.', { type: 'string', enum: ['queued', 'processing', 'done', 'failed'] }),
          ...pageParams,
        ],
        description: 'Newest first. Each carries `clauseCount` and `findings`: how many of its policy findings are met, not_met, needs_review and missing (all 0 until it is checked).',
        responses: { '200': json('A page of contracts.', paged('ContractListItem')), ...badRequest },
      }),
    },
    '/api/v1/contracts/{id}': {
      get: guarded('contracts:read', {
        tags: ['contracts'],
        operationId: 'getContract',
        summary: 'A contract with its clauses and obligations',
        description: '`status` is queued, processing, done or failed; when failed, `errorCode` says why (e.g. PDF_ENCRYPTED, NEEDS_OCR).',
        parameters: [idParam('contract')],
        responses: { '200': json('The contract.', ref('ContractDetail')), ...badRequest, ...notFound('contract') },
      }),
      delete: guarded('contracts:delete', {
        tags: ['contracts'],
        operationId: 'deleteContract',
        summary: 'Delete a contract, its file, clauses and obligations',
        parameters: [idParam('contract')],
        responses: { '204': { description: 'Deleted.' }, ...badRequest, ...notFound('contract') },
      }),
    },
    '/api/v1/contracts/{id}/file': {
      get: guarded('contracts:read', {
        tags: ['contracts'],
        operationId: 'getContractFile',
        summary: 'The original file, as uploaded',
        parameters: [idParam('contract')],
        responses: {
          '200': { description: 'The bytes, with the media type found at upload and the original name in Content-Disposition.', content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
          ...badRequest,
          ...notFound('contract'),
        },
      }),
    },
    '/api/v1/contracts/{id}/text': {
      get: guarded('contracts:read', {
        tags: ['contracts'],
        operationId: 'getContractText',
        summary: 'The extracted text and its page map',
        description: "Every clause's `start`/`end` are offsets into this text; `pages` maps offsets to page numbers.",
        parameters: [idParam('contract')],
        responses: {
          '200': json('The text.', ref('ContractText')),
          ...badRequest,
          ...notFound('contract'),
          '409': problemResponse('Not extracted yet (TEXT_NOT_READY).'),
        },
      }),
    },
    '/api/v1/contracts/{id}/findings': {
      get: guarded('contracts:read', {
        tags: ['contracts'],
        operationId: 'getContractFindings',
        summary: "The contract's scorecard against the policy",
        description:
          'One finding per policy item, in the policy\'s order: `met`, `not_met` (with the clause and the value found), `needs_review`, or `missing` when the contract has no clause of that type. ' +
          'Empty until the contract is processed; re-checked each time it is.',
        parameters: [idParam('contract')],
        responses: { '200': json('The findings.', ref('ContractFindings')), ...badRequest, ...notFound('contract') },
      }),
    },
    '/api/v1/contracts/{id}/reprocess': {
      post: guarded('contracts:reprocess', {
        tags: ['contracts'],
        operationId: 'reprocessContract',
        summary: 'Run extraction again (after a rules update, or a failure)',
        description: 'Re-running replaces the clauses and obligations; it never duplicates them.',
        parameters: [idParam('contract')],
        responses: { '202': json('Queued.', ref('Queued')), ...badRequest, ...notFound('contract') },
      }),
    },
    '/api/v1/counterparties': {
      get: guarded('contracts:read', {
        tags: ['counterparties'],
        operationId: 'listCounterparties',
        summary: 'List counterparties',
        parameters: [query('q', 'Part of a name.'), ...pageParams],
        responses: { '200': json('A page of counterparties.', paged('Counterparty')), ...badRequest },
      }),
    },
    '/api/v1/counterparties/{id}': {
      get: guarded('contracts:read', {
        tags: ['counterparties'],
        operationId: 'getCounterparty',
        summary: 'A counterparty with its contracts and obligations',
        parameters: [idParam('counterparty')],
        responses: { '200': json('The counterparty.', ref('CounterpartyDetail')), ...badRequest, ...notFound('counterparty') },
      }),
    },
    '/api/v1/obligations': {
      get: guarded('obligations:search', {
        tags: ['obligations'],
        operationId: 'searchObligations',
        summary: 'Search obligations',
        description: 'All filters combine. Each result carries its evidence: the page and the exact text of the clause it came from.',
        parameters: [
          query('counterparty', "A counterparty's id or part of its name."),
          query('contract', "A contract's id.", { type: 'string', format: 'uuid' }),
          query('type', 'Clause type, e.g. breach_notification.', code),
          query('action', 'e.g. notify_incident, return_data, maintain_insurance.', code),
          query('obligor', 'Who owes the duty.', { type: 'string', enum: ['us', 'counterparty', 'both'] }),
          query('trigger', 'e.g. security_incident, personal_data_breach, termination, none.', code),
          query('q', 'Words to find in the clause text (full-text search).'),
          ...pageParams,
        ],
        responses: { '200': json('A page of obligations.', paged('Obligation')), ...badRequest },
      }),
    },
    '/api/v1/obligations.csv': {
      get: guarded('obligations:search', {
        tags: ['obligations'],
        operationId: 'exportObligations',
        summary: 'The obligations a search finds, as a CSV file',
        description:
          `The same filters as the search; \`limit\` and \`offset\` are accepted and ignored: the file holds every match, up to ${MAX_EXPORT_ROWS.toLocaleString('en')} rows ` +
          '(`X-Truncated: true` when there were more). Columns: counterparty, contract id, type, action, obligor, beneficiary, trigger, deadline (in words), summary, page, quote. ' +
          'Cells a spreadsheet would run as a formula are prefixed with an apostrophe.',
        parameters: [
          query('counterparty', "A counterparty's id or part of its name."),
          query('contract', "A contract's id.", { type: 'string', format: 'uuid' }),
          query('type', 'Clause type, e.g. breach_notification.', code),
          query('action', 'e.g. notify_incident, return_data, maintain_insurance.', code),
          query('obligor', 'Who owes the duty.', { type: 'string', enum: [...PARTIES] }),
          query('trigger', 'e.g. security_incident, personal_data_breach, termination, none.', code),
          query('q', 'Words to find in the clause text (full-text search).'),
          ...pageParams,
        ],
        responses: {
          '200': {
            description: 'CSV (RFC 4180), as an attachment named obligations.csv.',
            headers: { 'X-Truncated': { description: `"true" when more than ${MAX_EXPORT_ROWS} obligations matched and the file holds the first ${MAX_EXPORT_ROWS}.`, schema: { type: 'string', const: 'true' } } },
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          ...badRequest,
        },
      }),
    },
    '/api/v1/incidents': {
      post: guarded('incidents:manage', {
        tags: ['incidents'],
        operationId: 'declareIncident',
        summary: 'Declare an incident',
        description:
          'Stores the incident and computes every deadline it starts, from the obligations of the contracts in scope and from the regulations that apply. ' +
          'Counterparties by name or id; `"all"` for every customer. A vendor incident names the vendor(s); the customers affected may be named beside them, ' +
          'else every customer we provide to is in scope. Times are ISO 8601 with an offset and stored in UTC; `timeZone` (IANA) decides how days are counted and how times are shown.',
        requestBody: { required: true, content: { 'application/json': { schema: ref('IncidentInput') } } },
        responses: {
          '201': json('Declared, with its deadlines soonest first.', ref('IncidentDetail')),
          '400': problemResponse('A field is invalid (VALIDATION_FAILED names it), or a counterparty is unknown (UNKNOWN_COUNTERPARTY names it).'),
        },
      }),
      get: guarded('incidents:read', {
        tags: ['incidents'],
        operationId: 'listIncidents',
        summary: 'List incidents, newest first',
        parameters: [query('status', 'Only incidents in this state.', { type: 'string', enum: ['suspected', 'confirmed', 'contained', 'closed'] }), ...pageParams],
        responses: { '200': json('A page of incidents.', paged('Incident')), ...badRequest },
      }),
    },
    '/api/v1/incidents/{id}': {
      get: guarded('incidents:read', {
        tags: ['incidents'],
        operationId: 'getIncident',
        summary: 'An incident with its deadlines',
        parameters: [idParam('incident')],
        responses: { '200': json('The incident.', ref('IncidentDetail')), ...badRequest, ...notFound('incident') },
      }),
      patch: guarded('incidents:manage', {
        tags: ['incidents'],
        operationId: 'updateIncident',
        summary: 'Change an incident (clock times, status, scope, data, ...)',
        description:
          'Any field of the declaration; `null` clears a clock time. A change to anything but the title or description re-computes the deadlines: ' +
          'a deadline that remains keeps its status (done, by whom, note); a new one starts open; one that no longer applies is withdrawn (kept on record, back with its status if the change is undone). ' +
          'Each changed field, old and new value, goes to the audit trail.',
        parameters: [idParam('incident')],
        requestBody: { required: true, content: { 'application/json': { schema: ref('IncidentUpdate') } } },
        responses: {
          '200': json('The incident after the change, the changes, and its deadlines.', ref('IncidentUpdated')),
          '400': problemResponse('A field is invalid (VALIDATION_FAILED), or a counterparty is unknown (UNKNOWN_COUNTERPARTY).'),
          ...notFound('incident'),
        },
      }),
    },
    '/api/v1/incidents/{id}/deadlines': {
      get: guarded('incidents:read', {
        tags: ['incidents'],
        operationId: 'listIncidentDeadlines',
        summary: "An incident's deadlines, soonest first",
        description: 'Each has `dueAt` (UTC) or, when its source gives no number, a `qualifier` with the policy target (`policyTargetAt`), and the same times in the incident\'s zone (`dueLocal`, `policyTargetLocal`). `missed` is an open deadline whose due time has passed.',
        parameters: [idParam('incident')],
        responses: {
          '200': json('The deadlines.', { type: 'object', properties: { incidentId: { type: 'string', format: 'uuid' }, timeZone: { type: 'string' }, items: { type: 'array', items: ref('Deadline') } } }),
          ...badRequest,
          ...notFound('incident'),
        },
      }),
    },
    '/api/v1/deadlines/{id}': {
      patch: guarded('incidents:manage', {
        tags: ['incidents'],
        operationId: 'markDeadline',
        summary: 'Mark a deadline done, not applicable, or open again',
        description: '`done` records when (now unless `doneAt` is given), by whom (the token), a note and an evidence file name; `not_applicable` needs a `reason`. Every change is audited.',
        parameters: [idParam('deadline')],
        requestBody: { required: true, content: { 'application/json': { schema: ref('DeadlineMark') } } },
        responses: { '200': json('The deadline.', ref('Deadline')), ...badRequest, ...notFound('deadline') },
      }),
    },
    '/api/v1/incidents/{id}/plan': {
      get: guarded('incidents:read', {
        tags: ['incidents'],
        operationId: 'incidentPlan',
        summary: 'The communication plan: one row per recipient',
        parameters: [idParam('incident')],
        responses: {
          '200': json('The plan.', { type: 'object', properties: { incidentId: { type: 'string', format: 'uuid' }, items: { type: 'array', items: ref('PlanRow') } } }),
          ...badRequest,
          ...notFound('incident'),
        },
      }),
    },
    '/api/v1/incidents/{id}/drafts': {
      get: guarded('incidents:read', {
        tags: ['incidents'],
        operationId: 'incidentDrafts',
        summary: 'Notification drafts, one per recipient, for a person to edit (never sent)',
        parameters: [idParam('incident'), query('contact', 'Who recipients should contact, filled into the drafts.', { type: 'string', maxLength: 300 })],
        responses: {
          '200': json('The drafts.', { type: 'object', properties: { incidentId: { type: 'string', format: 'uuid' }, items: { type: 'array', items: ref('NotificationDraft') } } }),
          ...badRequest,
          ...notFound('incident'),
        },
      }),
    },
    '/api/v1/incidents/{id}/deadlines.ics': {
      get: guarded('incidents:read', {
        tags: ['incidents'],
        operationId: 'incidentDeadlinesIcs',
        summary: 'The deadlines as an iCalendar feed, with alarms before each',
        parameters: [idParam('incident')],
        responses: { '200': { description: 'iCalendar.', content: { 'text/calendar': { schema: { type: 'string' } } } }, ...badRequest, ...notFound('incident') },
      }),
    },
    '/api/v1/incidents/{id}/deadlines.csv': {
      get: guarded('incidents:read', {
        tags: ['incidents'],
        operationId: 'incidentDeadlinesCsv',
        summary: 'The deadlines as CSV',
        parameters: [idParam('incident')],
        responses: { '200': { description: 'CSV.', content: { 'text/csv': { schema: { type: 'string' } } } }, ...badRequest, ...notFound('incident') },
      }),
    },
    '/api/v1/incidents/{id}/report': {
      get: guarded('incidents:read', {
        tags: ['incidents'],
        operationId: 'incidentReport',
        summary: 'A printable report of every deadline, its source and status',
        parameters: [idParam('incident')],
        responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } }, ...badRequest, ...notFound('incident') },
      }),
    },
    '/api/v1/audit': {
      get: guarded('audit:read', {
        tags: ['admin'],
        operationId: 'listAudit',
        summary: 'The audit trail, newest first',
        parameters: pageParams,
        responses: { '200': json('A page of audit events.', paged('AuditEvent')), ...badRequest },
      }),
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (pw_...).' } },
    schemas: {
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail', 'code'],
        properties: {
          type: { type: 'string', format: 'uri-reference' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'Stable, machine-readable; the Errors section of /api/v1/docs lists them.', examples: Object.keys(ERROR_CODES) },
          requestId: { type: 'string', description: 'On a 500: the id to look for in the logs.' },
          checks: { type: 'object', description: 'On NOT_READY: which dependency is down.' },
        },
      },
      Readiness: {
        type: 'object',
        properties: { status: { const: 'ready' }, checks: { type: 'object', properties: { database: { enum: ['up', 'down'] }, queue: { enum: ['up', 'down'] } } } },
      },
      UploadAccepted: {
        type: 'object',
        required: ['id', 'status', 'duplicate'],
        properties: { id: { type: 'string', format: 'uuid' }, status: ref('ContractStatus'), duplicate: { type: 'boolean' } },
      },
      Queued: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, status: { const: 'queued' } } },
      ContractStatus: { type: 'string', enum: ['queued', 'processing', 'done', 'failed'] },
      Contract: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          counterpartyId: { type: 'string', format: 'uuid' },
          counterpartyName: { type: 'string' },
          ourRole: { type: 'string', enum: ['customer', 'provider'] },
          title: { type: ['string', 'null'] },
          kind: { type: ['string', 'null'] },
          fileName: { type: 'string' },
          mediaType: { type: 'string' },
          size: { type: 'integer' },
          sha256: { type: 'string' },
          status: ref('ContractStatus'),
          errorCode: { type: ['string', 'null'] },
          errorDetail: { type: ['string', 'null'] },
          pageCount: { type: ['integer', 'null'] },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      ContractListItem: {
        allOf: [
          ref('Contract'),
          {
            type: 'object',
            required: ['clauseCount', 'findings'],
            properties: {
              clauseCount: { type: 'integer', description: 'Clauses found in it (0 until extracted).' },
              findings: {
                type: 'object',
                description: 'How many of its policy findings came out each way.',
                required: [...OUTCOMES],
                properties: Object.fromEntries(OUTCOMES.map((o) => [o, { type: 'integer' }])),
              },
            },
          },
        ],
      },
      Me: {
        type: 'object',
        required: ['name', 'role', 'permissions'],
        properties: {
          name: { type: 'string', description: "The token's name, as given when it was created." },
          role: { type: 'string', enum: Object.keys(ROLE_PERMISSIONS) },
          permissions: { type: 'array', items: { type: 'string' }, description: 'What the role may do, e.g. contracts:upload, incidents:manage.' },
        },
      },
      Meta: {
        type: 'object',
        properties: {
          clauseTypes: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, description: { type: 'string' } } } },
          actions: { type: 'array', items: { type: 'string', enum: [...OBLIGATION_ACTIONS] } },
          obligors: { type: 'array', items: { type: 'string', enum: [...PARTIES] } },
          triggers: { type: 'array', items: { type: 'string', enum: [...OBLIGATION_TRIGGERS] } },
          incidentStatuses: { type: 'array', items: { type: 'string', enum: [...INCIDENT_STATUSES] } },
          origins: { type: 'array', items: { type: 'string', enum: [...INCIDENT_ORIGINS] } },
          severities: { type: 'array', items: { type: 'string', enum: [...INCIDENT_SEVERITIES] } },
          dataCategories: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', enum: [...DATA_CATEGORIES] }, label: { type: 'string' } } } },
          jurisdictions: { type: 'array', items: { type: 'string' }, description: 'Those the regulation rules test for (EU, UK, US, US-NY, ...); a member state or another US state is accepted too.' },
          sectors: { type: 'array', items: { type: 'string' }, description: 'Those the regulation rules test for.' },
          ourDataRoles: { type: 'array', items: { type: 'string', enum: [...OUR_DATA_ROLES] } },
          outcomes: { type: 'array', items: { type: 'string', enum: [...OUTCOMES] } },
          contractStatuses: { type: 'array', items: { type: 'string', enum: [...CONTRACT_STATUSES] } },
          ourRoles: { type: 'array', items: { type: 'string', enum: [...OUR_ROLES] } },
          documentErrors: {
            type: 'array',
            description: "The codes a contract's processing can fail with (its `errorCode`), each with what it means.",
            items: { type: 'object', properties: { code: { type: 'string' }, meaning: { type: 'string' } } },
          },
        },
      },
      ContractDetail: {
        allOf: [ref('Contract'), { type: 'object', properties: { clauses: { type: 'array', items: ref('Clause') }, obligations: { type: 'array', items: ref('Obligation') } } }],
      },
      ContractFindings: {
        type: 'object',
        properties: {
          contractId: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: ['queued', 'processing', 'done', 'failed'] },
          items: { type: 'array', items: ref('Finding') },
        },
      },
      Finding: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          itemId: { type: 'string', description: 'The policy item, e.g. incident_notice.' },
          title: { type: 'string' },
          clauseType: { type: 'string' },
          outcome: { type: 'string', enum: ['met', 'not_met', 'missing', 'needs_review'] },
          detail: { type: 'string', description: 'What the contract says and what the policy accepts.' },
          clauseId: { type: ['string', 'null'], format: 'uuid' },
          value: { type: ['object', 'null'], description: 'The values the deciding clause states for the compared fields.' },
          evidence: {
            type: ['object', 'null'],
            description: "The deciding clause's quote; `start`/`end` are offsets into the contract's text.",
            properties: { page: { type: 'integer' }, quote: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' } },
          },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      ContractText: {
        type: 'object',
        properties: {
          text: { type: 'string' },
          pages: { type: 'array', items: { type: 'object', properties: { number: { type: 'integer' }, start: { type: 'integer' }, end: { type: 'integer' } } } },
        },
      },
      Clause: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          contractId: { type: 'string', format: 'uuid' },
          type: { type: 'string' },
          ruleId: { type: 'string' },
          start: { type: 'integer' },
          end: { type: 'integer' },
          page: { type: 'integer' },
          text: { type: 'string' },
          fields: { type: 'object' },
          confidence: { type: 'number' },
        },
      },
      Obligation: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          contractId: { type: 'string', format: 'uuid' },
          clauseId: { type: 'string', format: 'uuid' },
          counterpartyId: { type: 'string', format: 'uuid' },
          counterpartyName: { type: 'string' },
          type: { type: 'string' },
          obligor: { type: 'string', enum: ['us', 'counterparty', 'both'] },
          beneficiary: { type: 'string', enum: ['us', 'counterparty', 'both'] },
          action: { type: 'string' },
          trigger: { type: 'string' },
          deadline: {
            type: ['object', 'null'],
            properties: { amount: { type: ['number', 'null'] }, unit: { type: ['string', 'null'] }, qualifier: { type: ['string', 'null'] }, recurring: { type: 'boolean' } },
          },
          summary: { type: 'string' },
          details: { type: 'object' },
          page: { type: 'integer', description: 'Page of the clause it came from.' },
          quote: { type: 'string', description: 'The exact text of that clause.' },
          start: { type: 'integer' },
          end: { type: 'integer' },
        },
      },
      Counterparty: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          normalizedName: { type: 'string' },
          aliases: { type: 'array', items: { type: 'string' } },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      CounterpartyDetail: {
        allOf: [ref('Counterparty'), { type: 'object', properties: { contracts: { type: 'array', items: ref('ContractListItem') }, obligations: { type: 'array', items: ref('Obligation') } } }],
      },
      Instant: { type: ['string', 'null'], format: 'date-time', description: 'ISO 8601 with an offset or Z; stored in UTC.' },
      IncidentInput: {
        type: 'object',
        required: ['title', 'origin'],
        additionalProperties: false,
        properties: INCIDENT_INPUT_PROPERTIES,
        examples: [
          {
            title: 'Acme Hosting reports unauthorized access',
            origin: 'vendor',
            counterparties: ['Acme Hosting'],
            status: 'suspected',
            detectedAt: '2026-03-02T08:10:00Z',
            awareAt: '2026-03-02T09:00:00Z',
            dataCategories: ['personal_data'],
            jurisdictions: ['EU'],
            timeZone: 'Europe/Berlin',
          },
        ],
      },
      IncidentUpdate: { type: 'object', additionalProperties: false, description: 'Any field of IncidentInput; null clears a clock time.', properties: INCIDENT_INPUT_PROPERTIES },
      Incident: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          title: { type: 'string' },
          description: { type: ['string', 'null'] },
          origin: { type: 'string', enum: ['ours', 'vendor'] },
          status: { type: 'string', enum: ['suspected', 'confirmed', 'contained', 'closed'] },
          severity: { type: ['string', 'null'] },
          occurredAt: ref('Instant'),
          detectedAt: ref('Instant'),
          awareAt: ref('Instant'),
          confirmedAt: ref('Instant'),
          determinedAt: ref('Instant'),
          extortionPaymentAt: ref('Instant'),
          local: { type: 'object', description: "The clock times in the incident's zone.", additionalProperties: { type: ['string', 'null'] } },
          dataCategories: { type: 'array', items: { type: 'string' } },
          jurisdictions: { type: 'array', items: { type: 'string' } },
          sectors: { type: 'array', items: { type: 'string' } },
          counterpartyIds: { oneOf: [{ type: 'array', items: { type: 'string', format: 'uuid' } }, { const: 'all' }] },
          counterpartyNames: { type: 'array', items: { type: 'string' } },
          affectedCount: { type: ['integer', 'null'] },
          timeZone: { type: 'string' },
          ourDataRole: { type: ['string', 'null'] },
          createdBy: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      IncidentDetail: { allOf: [ref('Incident'), { type: 'object', properties: { deadlines: { type: 'array', items: ref('Deadline') } } }] },
      IncidentUpdated: {
        allOf: [
          ref('IncidentDetail'),
          {
            type: 'object',
            properties: {
              changes: { type: 'object', description: 'Each changed field with its old and new value.', additionalProperties: { type: 'object', properties: { from: {}, to: {} } } },
              recomputed: { type: 'boolean' },
            },
          },
        ],
      },
      Deadline: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          incidentId: { type: 'string', format: 'uuid' },
          key: { type: 'string', description: 'Stable across re-computation.' },
          title: { type: 'string' },
          dueAt: { ...ref('Instant'), description: 'null when the source gives no number: see qualifier.' },
          dueLocal: { type: ['string', 'null'], description: "dueAt in the incident's zone, with its offset." },
          qualifier: { type: ['string', 'null'], description: '"without undue delay", "promptly", ...' },
          policyTargetAt: { ...ref('Instant'), description: "The organisation's target where the source gives no number: a target, not the deadline." },
          policyTargetLocal: { type: ['string', 'null'] },
          timeZone: { type: 'string' },
          clock: { type: 'object', properties: { name: { type: 'string' }, at: { type: 'string', format: 'date-time' }, atLocal: { type: 'string' } } },
          notifier: { type: 'string' },
          recipient: { type: 'string' },
          method: { type: 'array', items: { type: 'string' } },
          content: { type: 'array', items: { type: 'string' } },
          recurrence: { type: ['object', 'null'], properties: { everyHours: { type: 'number' }, occurrence: { type: 'integer' } } },
          owedBy: { type: 'string', enum: ['us', 'counterparty'] },
          source: { type: 'object', description: 'kind clause (contract, clause, page, quote) or regulation (regime, citation, url, lastChecked).' },
          status: { type: 'string', enum: ['open', 'done', 'missed', 'not_applicable'] },
          doneAt: ref('Instant'),
          doneBy: { type: ['string', 'null'] },
          note: { type: ['string', 'null'] },
          evidenceFileName: { type: ['string', 'null'] },
          notApplicableReason: { type: ['string', 'null'] },
        },
      },
      DeadlineMark: {
        oneOf: [
          {
            type: 'object',
            required: ['status'],
            additionalProperties: false,
            properties: { status: { const: 'done' }, doneAt: { type: 'string', format: 'date-time' }, note: { type: 'string', maxLength: 5000 }, evidenceFileName: { type: 'string', maxLength: 255 } },
          },
          { type: 'object', required: ['status', 'reason'], additionalProperties: false, properties: { status: { const: 'not_applicable' }, reason: { type: 'string', maxLength: 5000 } } },
          { type: 'object', required: ['status'], additionalProperties: false, properties: { status: { const: 'open' } } },
        ],
      },
      PlanRow: {
        type: 'object',
        properties: {
          recipient: { type: 'string' },
          recipientKind: { type: 'string', enum: ['customer', 'vendor', 'authority', 'other'] },
          notifier: { type: 'string' },
          deadlines: { type: 'array', items: { type: 'object' } },
          earliestDueAt: ref('Instant'),
          method: { type: 'array', items: { type: 'string' } },
          content: { type: 'array', items: { type: 'string' } },
          status: { type: 'string', enum: ['open', 'done', 'missed', 'not_applicable'] },
        },
      },
      NotificationDraft: {
        type: 'object',
        properties: { recipient: { type: 'string' }, subject: { type: 'string' }, body: { type: 'string' }, deadlineIds: { type: 'array', items: { type: 'string', format: 'uuid' } } },
      },
      AuditEvent: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          at: { type: 'string', format: 'date-time' },
          actor: { type: 'string' },
          action: { type: 'string' },
          entity: { type: 'string' },
          entityId: { type: ['string', 'null'] },
          details: { type: 'object' },
        },
      },
    },
  },
};
