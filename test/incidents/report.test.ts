import { renderReport } from '../../src/incidents';
import { deadlines, gdpr, incident, initech, vendorDuty } from './incident-fixtures';

const generatedAt = new Date('2026-03-04T12:00:00Z');

/** The visible text of the page, roughly as a reader sees it. */
function textOf(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&rarr;/g, '→').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

it('escapes text from documents and people, so a quote cannot inject markup', () => {
  const evilClause = {
    ...initech,
    title: 'Notify <b>Initech</b>',
    note: '"><img src=x onerror=alert(1)>',
    source: { ...(initech.source as Extract<typeof initech.source, { kind: 'clause' }>), quote: 'Supplier shall <script>alert("x")</script> notify & report.' },
  };
  const evilRule = { ...gdpr, source: { ...(gdpr.source as Extract<typeof gdpr.source, { kind: 'regulation' }>), url: 'javascript:alert(1)' } };
  const html = renderReport(incident({ title: 'Breach </title><script>x()</script>', description: 'a <i>b</i>\nnext line' }), [evilClause, evilRule], { generatedAt });
  expect(html).not.toContain('<script');
  expect(html).not.toContain('<img');
  expect(html).not.toContain('<b>Initech');
  expect(html).not.toContain('href="javascript:');
  expect(html).toContain('Supplier shall &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; notify &amp; report.');
  expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  expect(html).toContain('a &lt;i&gt;b&lt;/i&gt;<br>next line');
});

it('stands alone for printing: inline styles, print rules, no scripts or external assets', () => {
  const html = renderReport(incident(), deadlines(), { generatedAt });
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html).toContain('@media print');
  expect(html).not.toMatch(/<link|<script|<img|@import|url\(/i);
  // the only links are to the regulations' own texts
  expect([...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1])).toEqual(['https://eur-lex.europa.eu/eli/reg/2016/679/oj']);
});

it('lists the incident facts with clock times in the local zone and UTC', () => {
  const text = textOf(renderReport(incident(), deadlines(), { generatedAt }));
  expect(text).toContain('Incident report: Acme Hosting storage exposure');
  expect(text).toMatch(/became aware Mon 2 Mar 2026, 10:00 CET \(UTC\+01:00\); 2026-03-02 09:00 UTC/i);
  expect(text).toContain('personal data, credentials');
  expect(text).toContain('EU, DE');
  expect(text).toContain('1200');
  expect(text).toContain('Acme Hosting');
  expect(text).toContain('Europe/Berlin');
});

it('lists every deadline with its due time or qualifier, source and status, as evidence', () => {
  const html = renderReport(incident(), deadlines(), { generatedAt });
  const text = textOf(html);
  expect((html.match(/<tr>\n<td>\d+<\/td>/g) ?? []).length).toBe(6);
  // the vendor's notice: done, when, by whom, on time, with the clause quote and page
  expect(text).toContain(vendorDuty.title);
  expect(text).toContain('contract with Acme Hosting, p. 4');
  expect(text).toContain('seventy-two (72) hours after becoming aware');
  expect(text).toMatch(/done Mon 2 Mar 2026, 16:00 CET \(UTC\+01:00\); 2026-03-02 15:00 UTC by alice@example.com on time \(2 days 17 h before the due time\)/);
  expect(text).toContain('Acme e-mail of 2 March, ticket SEC-12');
  // the regulation, with its citation and the date its text was checked
  expect(text).toContain('GDPR Art. 33(1)');
  expect(text).toContain('text checked 2026-01-15');
  // a deadline without a number: its qualifier, and the target marked as a target
  expect(text).toContain("without undue delay Policy target (target, not the contract's deadline): Tue 3 Mar 2026, 10:00 CET");
  // not applicable, with the reason
  expect(text).toContain('Reason: data was encrypted; Art. 34(3)(a)');
  expect(text).toContain('Notify the supervisory authority of a personal data breach us → supervisory authority');
});

it('shows an open deadline whose due time passed before the report was generated as missed', () => {
  const late = { ...initech, dueAt: new Date('2026-03-04T09:00:00Z') };
  const text = textOf(renderReport(incident(), [late, gdpr], { generatedAt }));
  expect(text).toContain('2 deadlines: 0 done, 1 open, 1 missed, 0 not applicable');
  const lateDone = { ...initech, status: 'done' as const, doneAt: new Date('2026-03-04T11:30:00Z'), doneBy: 'bob' };
  expect(textOf(renderReport(incident(), [lateDone], { generatedAt }))).toContain('late (2 h 30 min after the due time)');
});
