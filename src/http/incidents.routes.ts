import { z } from 'zod';
import { INCIDENT_STATUSES, type IncidentStatus } from '../obligations/incident-types';
import { communicationPlan, notificationDrafts, renderCsv, renderIcs, renderReport } from '../incidents';
import {
  declareIncident,
  DeclareIncidentBody,
  deadlineView,
  incidentDeadlines,
  incidentServiceDeps,
  incidentView,
  markDeadline,
  MarkDeadlineBody,
  updateIncident,
  UpdateIncidentBody,
  type IncidentServiceDeps,
} from '../incidents/service';
import { API, type RouteContext } from './context';
import { contentDisposition } from './upload';
import { IdParams, PageQuery, textParam, validate } from './validate';

/** What a caller of createApp may replace in the incident service: the reminder scheduler, the clock, the computation. */
export type IncidentRouteOptions = Partial<Pick<IncidentServiceDeps, 'reminders' | 'now' | 'compute' | 'regulations' | 'policy'>>;

const ListQuery = z.strictObject({
  status: z.enum(INCIDENT_STATUSES as [IncidentStatus, ...IncidentStatus[]], { error: `must be one of ${INCIDENT_STATUSES.join(', ')}` }).optional(),
  ...PageQuery,
});
const DraftsQuery = z.strictObject({ contact: textParam(300).optional() });
const NoQuery = z.strictObject({});

/** A file name for downloads: the incident's title reduced to safe characters. */
function fileStem(title: string, id: string): string {
  const stem = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60);
  return stem ? `incident-${stem}` : `incident-${id}`;
}

/** Incidents: declared and updated by responders (and admins), read by legal; analysts have no access. */
export function registerIncidentRoutes(ctx: RouteContext, options: IncidentRouteOptions = {}): void {
  const { app, allow, config } = ctx;
  const deps = incidentServiceDeps(config, { store: ctx.store, logger: ctx.logger, ...options });

  app.post(`${API}/incidents`, allow('incidents:manage'), async (req, res) => {
    const body = validate(DeclareIncidentBody, req.body ?? {}, 'body');
    const { incident, deadlines } = await declareIncident({ ...deps, logger: req.log }, body, req.token!.name);
    res
      .status(201)
      .location(`${API}/incidents/${incident.id}`)
      .json({ ...incidentView(incident), deadlines: deadlines.map((d) => deadlineView(d, incident.timeZone)) });
  });

  app.get(`${API}/incidents`, allow('incidents:read'), async (req, res) => {
    const q = validate(ListQuery, req.query, 'query');
    const page = await deps.store.listIncidents({ status: q.status }, { limit: q.limit, offset: q.offset });
    res.json({ ...page, items: page.items.map(incidentView) });
  });

  app.get(`${API}/incidents/:id`, allow('incidents:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const { incident, deadlines } = await incidentDeadlines(deps, id);
    res.json({ ...incidentView(incident), deadlines: deadlines.map((d) => deadlineView(d, incident.timeZone)) });
  });

  app.patch(`${API}/incidents/:id`, allow('incidents:manage'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const body = validate(UpdateIncidentBody, req.body ?? {}, 'body');
    const result = await updateIncident({ ...deps, logger: req.log }, id, body, req.token!.name);
    res.json({
      ...incidentView(result.incident),
      changes: result.changes,
      recomputed: result.recomputed,
      deadlines: result.deadlines.map((d) => deadlineView(d, result.incident.timeZone)),
    });
  });

  app.get(`${API}/incidents/:id/deadlines`, allow('incidents:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    validate(NoQuery, req.query, 'query');
    const { incident, deadlines } = await incidentDeadlines(deps, id);
    res.json({ incidentId: id, timeZone: incident.timeZone, items: deadlines.map((d) => deadlineView(d, incident.timeZone)) });
  });

  app.patch(`${API}/deadlines/:id`, allow('incidents:manage'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const body = validate(MarkDeadlineBody, req.body ?? {}, 'body');
    const deadline = await markDeadline({ ...deps, logger: req.log }, id, body, req.token!.name);
    const incident = await deps.store.getIncident(deadline.incidentId);
    res.json(deadlineView(deadline, incident?.timeZone ?? 'UTC'));
  });

  app.get(`${API}/incidents/:id/plan`, allow('incidents:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const { incident, deadlines } = await incidentDeadlines(deps, id);
    res.json({ incidentId: id, items: communicationPlan(incident, deadlines) });
  });

  app.get(`${API}/incidents/:id/drafts`, allow('incidents:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const q = validate(DraftsQuery, req.query, 'query');
    const { incident, deadlines } = await incidentDeadlines(deps, id);
    res.json({ incidentId: id, items: notificationDrafts(incident, deadlines, { contact: q.contact ?? null }) });
  });

  app.get(`${API}/incidents/:id/deadlines.ics`, allow('incidents:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const { incident, deadlines } = await incidentDeadlines(deps, id);
    const ics = renderIcs(incident, deadlines, { alarmsMinutesBefore: [...config.reminderLeadTimesMinutes] });
    res.setHeader('Content-Disposition', contentDisposition(`${fileStem(incident.title, id)}.ics`));
    res.type('text/calendar; charset=utf-8').send(ics);
  });

  app.get(`${API}/incidents/:id/deadlines.csv`, allow('incidents:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const { incident, deadlines } = await incidentDeadlines(deps, id);
    res.setHeader('Content-Disposition', contentDisposition(`${fileStem(incident.title, id)}.csv`));
    res.type('text/csv; charset=utf-8').send(renderCsv(incident, deadlines));
  });

  app.get(`${API}/incidents/:id/report`, allow('incidents:read'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'path');
    const { incident, deadlines } = await incidentDeadlines(deps, id);
    // the report is a page of its own: no script, styles inline only
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.type('html').send(renderReport(incident, deadlines, { generatedAt: deps.now() }));
  });
}
