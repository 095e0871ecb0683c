import { ROLE_PERMISSIONS } from '../auth/permissions';
import { CONTRACT_STATUSES, OUR_ROLES } from '../db/store';
import { type TypeCatalogue } from '../extract/rule-schema';
import { DATA_CATEGORY_LABELS } from '../incidents/format';
import { INGEST_CODE_MEANINGS } from '../ingest/ingest-errors';
import { PROCESSING_FAILED, PROCESSING_FAILED_MEANING } from '../jobs/processors';
import { DATA_CATEGORIES, INCIDENT_ORIGINS, INCIDENT_SEVERITIES, INCIDENT_STATUSES, OUR_DATA_ROLES } from '../obligations/incident-types';
import { OBLIGATION_ACTIONS, OBLIGATION_TRIGGERS, PARTIES } from '../obligations/types';
import { OUTCOMES } from '../policies';
import { loadRegulations, regulationTerms, type Regulation } from '../regulations';
import { loadCatalogue } from '../rules/load-rules';
import { API, type RouteContext } from './context';

/** The vocabularies the pages' forms and labels use, each read from the code or the rules that define it. */
export function vocabularies(catalogue: TypeCatalogue, regulations: readonly Regulation[]) {
  const { jurisdictions, sectors } = regulationTerms(regulations);
  return {
    clauseTypes: Object.entries(catalogue.types).map(([id, t]) => ({ id, description: t.description.replace(/\s+/g, ' ').trim() })),
    actions: [...OBLIGATION_ACTIONS],
    obligors: [...PARTIES],
    triggers: [...OBLIGATION_TRIGGERS],
    incidentStatuses: [...INCIDENT_STATUSES],
    origins: [...INCIDENT_ORIGINS],
    severities: [...INCIDENT_SEVERITIES],
    dataCategories: DATA_CATEGORIES.map((id) => ({ id, label: DATA_CATEGORY_LABELS[id] })),
    jurisdictions,
    sectors,
    ourDataRoles: [...OUR_DATA_ROLES],
    outcomes: [...OUTCOMES],
    contractStatuses: [...CONTRACT_STATUSES],
    ourRoles: [...OUR_ROLES],
    documentErrors: [
      ...Object.entries(INGEST_CODE_MEANINGS).map(([code, meaning]) => ({ code, meaning })),
      { code: PROCESSING_FAILED, meaning: PROCESSING_FAILED_MEANING },
    ],
  };
}

/**
 * Who the caller is, and the vocabularies of the forms: what the pages need
 * before they show anything. Any valid token may ask (every role reads contracts).
 */
export function registerMetaRoutes({ app, config, allow }: RouteContext, options: { regulations?: () => Regulation[] } = {}): void {
  app.get(`${API}/me`, allow('contracts:read'), (req, res) => {
    const token = req.token!;
    res.json({ name: token.name, role: token.role, permissions: [...ROLE_PERMISSIONS[token.role]] });
  });

  // built on first use and kept: the rules are read once per process, as everywhere else
  let meta: ReturnType<typeof vocabularies> | null = null;
  app.get(`${API}/meta`, allow('contracts:read'), (_req, res) => {
    meta ??= vocabularies(loadCatalogue(config.rulesDir).catalogue, options.regulations?.() ?? loadRegulations(config.rulesDir));
    res.json(meta);
  });
}
