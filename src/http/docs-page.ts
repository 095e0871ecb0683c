import { ERROR_CODES, openapi } from './openapi';

/**
 * The API reference as one self-contained HTML page, generated from the
 * OpenAPI document so the two never disagree. No scripts, no external assets.
 */
const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `code` spans for backticks; everything else escaped. */
const prose = (s: unknown) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');

interface Param {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Record<string, unknown>;
}
interface Operation {
  summary?: string;
  description?: string;
  operationId?: string;
  parameters?: readonly Param[];
  requestBody?: { content: Record<string, { schema?: { properties?: Record<string, Record<string, unknown>>; required?: readonly string[] } }> };
  responses: Record<string, { description: string }>;
  'x-roles'?: readonly string[];
}

function typeOf(schema: Record<string, unknown> | undefined): string {
  if (!schema) return '';
  if (Array.isArray(schema.enum)) return schema.enum.join(' | ');
  const base = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? '');
  const bounds = [schema.format, schema.minimum !== undefined ? `≥ ${String(schema.minimum)}` : null, schema.maximum !== undefined ? `≤ ${String(schema.maximum)}` : null]
    .filter((x) => x !== null && x !== undefined)
    .join(', ');
  return bounds ? `${base} (${bounds})` : base;
}

function operationHtml(method: string, path: string, op: Operation): string {
  const anchor = op.operationId ?? `${method}-${path}`;
  const params = op.parameters ?? [];
  const form = op.requestBody ? Object.values(op.requestBody.content)[0]?.schema : undefined;
  const rows = [
    ...params.map((p) => [p.name, p.in, typeOf(p.schema), p.required ? 'yes' : '', p.description ?? '']),
    ...Object.entries(form?.properties ?? {}).map(([name, s]) => [name, 'form', typeOf(s), form?.required?.includes(name) ? 'yes' : '', String(s.description ?? '')]),
  ];
  return `<section id="${esc(anchor)}">
<h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p><strong>${esc(op.summary ?? '')}</strong></p>
${op.description ? `<p>${prose(op.description).replace(/\n\n/g, '</p><p>')}</p>` : ''}
${op['x-roles'] ? '' : '<p><em>No token needed.</em></p>'}
${rows.length ? `<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th><th>meaning</th></tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${prose(c)}</td>`).join('')}</tr>`).join('')}</table>` : ''}
<table><tr><th>status</th><th>meaning</th></tr>${Object.entries(op.responses)
    .map(([status, r]) => `<tr><td>${esc(status)}</td><td>${prose(r.description)}</td></tr>`)
    .join('')}</table>
</section>`;
}

export function renderDocsPage(): string {
  const ops = Object.entries(openapi.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op: op as unknown as Operation })),
  );
  const toc = ops
    .map(({ path, method, op }) => `<li><a href="#${esc(op.operationId ?? '')}"><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> ${esc(path)}</a> ${esc(op.summary ?? '')}</li>`)
    .join('\n');
  const errors = Object.entries(ERROR_CODES)
    .map(([code, meaning]) => `<tr id="${esc(code)}"><td><code>${esc(code)}</code></td><td>${esc(meaning)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(openapi.info.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code{background:#f3f3f3;padding:0 .2em}table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
.m{font:bold 12px monospace;padding:.1rem .35rem;border-radius:3px;color:#fff;background:#555}.get{background:#2a7}.post{background:#27c}.delete{background:#c33}
section{border-top:1px solid #eee;padding-top:.5rem}
</style></head><body>
<h1>${esc(openapi.info.title)} <small>${esc(openapi.info.version)}</small></h1>
<p>${prose(openapi.info.description)}</p>
<p>Machine-readable: <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI ${esc(openapi.openapi)}).</p>
<h2>Endpoints</h2><ul>${toc}</ul>
${ops.map(({ path, method, op }) => operationHtml(method, path, op)).join('\n')}
<h2 id="errors">Errors</h2>
<p>Every error is <code>application/problem+json</code>: <code>{type, title, status, detail, code}</code>. <code>code</code> is stable; <code>detail</code> is for people.</p>
<table><tr><th>code</th><th>meaning</th></tr>${errors}</table>
</body></html>`;
}
