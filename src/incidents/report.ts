/**
 * The printable incident report: the incident's facts and every deadline it
 * started, with its source and what was done about it, when and by whom. It is
 * kept as evidence that notifications were made on time, so it stands alone:
 * inline styles, no scripts, no external assets, and all text escaped (titles,
 * quotes and notes come from documents and people).
 */
import { type IncidentRecord, type TrackedDeadline } from '../obligations/incident-types';
import {
  bothTimes,
  CLOCK_LABELS,
  CLOCK_ORDER,
  dataCategoriesText,
  soonestFirst,
  sourceText,
  statusAt,
  statusLabel,
  targetNote,
  timelinessText,
  utcIso,
  zoneOf,
} from './format';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const e = escapeHtml;

const STYLE = `
  :root { color-scheme: light; }
  body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #111; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; border-bottom: 1px solid #999; padding-bottom: .2rem; }
  .meta { color: #444; margin: 0 0 1rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border: 1px solid #bbb; }
  th { background: #eee; }
  table.facts th { width: 14rem; }
  blockquote { margin: .35rem 0 0; padding: .25rem .6rem; border-left: 3px solid #888; color: #333; font-style: italic; }
  .status { font-weight: 600; text-transform: uppercase; font-size: .85em; letter-spacing: .03em; }
  .status-done { color: #17602a; } .status-missed { color: #a3120f; } .status-open { color: #7a5600; } .status-not_applicable { color: #555; }
  .target { color: #6a3d9a; }
  .small { font-size: .9em; color: #444; }
  ul { margin: 0; padding-left: 1.1rem; }
  @page { size: A4; margin: 15mm; }
  @media print {
    body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
    thead { display: table-header-group; }
    tr, blockquote { break-inside: avoid; page-break-inside: avoid; }
    h2 { break-after: avoid; page-break-after: avoid; }
    a { color: inherit; text-decoration: none; }
  }
`;

export function renderReport(incident: IncidentRecord, deadlines: TrackedDeadline[], opts: { generatedAt: Date }): string {
  const zone = zoneOf(incident);
  const sorted = soonestFirst(deadlines);
  const statuses = sorted.map((d) => statusAt(d, opts.generatedAt));
  const count = (s: string) => statuses.filter((x) => x === s).length;
  const summary = `${sorted.length} deadline${sorted.length === 1 ? '' : 's'}: ${count('done')} done, ${count('open')} open, ${count('missed')} missed, ${count('not_applicable')} not applicable`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`Incident report: ${incident.title}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${e(`Incident report: ${incident.title}`)}</h1>
<p class="meta">Generated ${e(bothTimes(opts.generatedAt, zone))}. Times are shown in the incident's time zone (${e(zone)}) and in UTC.</p>
<h2>The incident</h2>
${factsTable(incident, zone)}
<h2>Deadlines</h2>
<p>${e(summary)}.</p>
${sorted.length ? deadlineTable(sorted, statuses, zone) : '<p>This incident has started no deadlines.</p>'}
</body>
</html>
`;
}

function factsTable(incident: IncidentRecord, zone: string): string {
  const rows: [string, string][] = [
    ['Incident id', e(incident.id)],
    ['Title', e(incident.title)],
    ['Description', incident.description ? e(incident.description).replace(/\r?\n/g, '<br>') : '<span class="small">none given</span>'],
    ['Origin', e(incident.origin === 'vendor' ? 'reported by a vendor' : 'in our own systems')],
    ['Status', e(incident.status)],
    ['Severity', e(incident.severity ?? 'not set')],
    ['Counterparties affected', e(incident.counterpartyIds === 'all' ? 'all customers' : incident.counterpartyNames.join(', ') || 'none named')],
    ['Data involved', e(dataCategoriesText(incident.dataCategories))],
    ['Jurisdictions', e(incident.jurisdictions.join(', ') || 'none given')],
    ['People affected (approx.)', e(incident.affectedCount === null ? 'not yet known' : String(incident.affectedCount))],
    ['Sectors', e(incident.sectors.join(', ') || 'none given')],
    ['Our role for the data', e(incident.ourDataRole ?? 'not set')],
    ['Time zone', e(zone)],
  ];
  for (const clock of CLOCK_ORDER) {
    const at = incident[clock];
    rows.push([`Clock: ${CLOCK_LABELS[clock]}`, at ? timeCell(at, zone) : '<span class="small">not recorded</span>']);
  }
  rows.push(['Recorded', `${timeCell(incident.createdAt, zone)} by ${e(incident.createdBy)}`]);
  rows.push(['Last changed', timeCell(incident.updatedAt, zone)]);
  return `<table class="facts"><tbody>\n${rows.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${v}</td></tr>`).join('\n')}\n</tbody></table>`;
}

function timeCell(d: Date, zone: string): string {
  return `<time datetime="${e(utcIso(d))}">${e(bothTimes(d, zone))}</time>`;
}

function deadlineTable(deadlines: TrackedDeadline[], statuses: TrackedDeadline['status'][], zone: string): string {
  const body = deadlines
    .map((d, i) => {
      const due = d.dueAt
        ? `${timeCell(d.dueAt, zone)}${d.qualifier ? `<div class="small">${e(d.qualifier)}</div>` : ''}`
        : `<div>${e(d.qualifier ?? 'no due time stated')}</div>`;
      const target = d.policyTargetAt ? `<div class="target">Policy target (${e(targetNote(d))}): ${timeCell(d.policyTargetAt, zone)}</div>` : '';
      const clock = `<div class="small">Clock: ${e(CLOCK_LABELS[d.clock.name] ?? d.clock.name)}, ${timeCell(d.clock.at, zone)}</div>`;
      const recurrence = d.recurrence ? `<div class="small">Recurring every ${d.recurrence.everyHours} h (occurrence ${d.recurrence.occurrence})</div>` : '';
      return `<tr>
<td>${i + 1}</td>
<td><strong>${e(d.title)}</strong>${recurrence}<div class="small">${e(d.notifier)} &rarr; ${e(d.recipient)}</div></td>
<td>${due}${target}${clock}</td>
<td>${list('Method', d.method)}${list('Content', d.content)}</td>
<td>${sourceCell(d)}</td>
<td>${statusCell(d, statuses[i], zone)}</td>
</tr>`;
    })
    .join('\n');
  return `<table class="deadlines">
<thead><tr><th>#</th><th>Deadline</th><th>Due</th><th>Notice</th><th>Source</th><th>Status</th></tr></thead>
<tbody>
${body}
</tbody></table>`;
}

function list(label: string, items: string[]): string {
  if (!items.length) return `<div class="small">${e(label)}: not stated by the source</div>`;
  return `<div class="small">${e(label)}:</div><ul>${items.map((x) => `<li>${e(x)}</li>`).join('')}</ul>`;
}

function sourceCell(d: TrackedDeadline): string {
  const s = d.source;
  if (s.kind === 'clause') return `${e(sourceText(s))}<blockquote>${e(s.quote)}</blockquote>`;
  // Only web links: a javascript: URL in a rule file must not become a live link.
  const link = s.url && /^https?:\/\//i.test(s.url) ? `<div class="small"><a href="${e(s.url)}">${e(s.url)}</a></div>` : '';
  return `${e(s.citation)}${link}<div class="small">Rule ${e(s.ruleId)}, text checked ${e(s.lastChecked)}</div>`;
}

function statusCell(d: TrackedDeadline, status: TrackedDeadline['status'], zone: string): string {
  const parts = [`<span class="status status-${status}">${e(statusLabel(status))}</span>`];
  if (status === 'done') {
    if (d.doneAt) parts.push(`<div>${timeCell(d.doneAt, zone)}</div>`);
    if (d.doneBy) parts.push(`<div>by ${e(d.doneBy)}</div>`);
    const timely = timelinessText(d);
    if (timely) parts.push(`<div class="small">${e(timely)}</div>`);
  }
  if (status === 'not_applicable' && d.notApplicableReason) parts.push(`<div>Reason: ${e(d.notApplicableReason)}</div>`);
  if (d.note) parts.push(`<div class="small">Note: ${e(d.note)}</div>`);
  if (d.evidenceFileName) parts.push(`<div class="small">Evidence: ${e(d.evidenceFileName)}</div>`);
  return parts.join('');
}
