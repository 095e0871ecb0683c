import { renderCsv } from '../../src/incidents';
import { records } from '../helpers/csv';
import { deadlines, gdpr, incident, initech, vendorDuty } from './incident-fixtures';

it('writes one row per deadline, soonest first, with UTC and local due times', () => {
  const text = renderCsv(incident(), deadlines());
  expect(text.endsWith('\r\n')).toBe(true);
  const rows = records(text);
  expect(rows).toHaveLength(6);
  expect(Object.keys(rows[0])).toEqual([
    'Due (UTC)', 'Due (local, Europe/Berlin)', 'Qualifier', 'Policy target (UTC)', 'Title', 'Notifier', 'Recipient', 'Method', 'Content', 'Status',
    'Done at (UTC)', 'Done by', 'Note', 'Source', 'Quote',
  ]);
  // the policy target of "without undue delay" is the soonest time
  expect(rows[0]).toMatchObject({ 'Due (UTC)': '', Qualifier: 'without undue delay', 'Policy target (UTC)': '2026-03-03T09:00:00Z', Recipient: 'Globex' });
  const g = rows.find((r) => r.Title === gdpr.title)!;
  expect(g).toMatchObject({
    'Due (UTC)': '2026-03-05T09:00:00Z',
    'Due (local, Europe/Berlin)': '2026-03-05T10:00:00+01:00',
    Notifier: 'us',
    Recipient: 'supervisory authority',
    Source: 'GDPR Art. 33(1)',
    Status: 'open',
  });
  expect(g.Content.split('; ')).toContain('likely consequences');
  const v = rows.find((r) => r.Title === vendorDuty.title)!;
  expect(v).toMatchObject({
    Status: 'done',
    'Done at (UTC)': '2026-03-02T15:00:00Z',
    'Done by': 'alice@example.com',
    Note: 'Acme e-mail of 2 March, ticket SEC-12',
    Source: 'contract with Acme Hosting, p. 4',
    Quote: vendorDuty.source.kind === 'clause' ? vendorDuty.source.quote : '',
  });
  expect(rows.find((r) => r.Recipient === 'data subjects')).toMatchObject({ Status: 'not_applicable', Note: 'not applicable: data was encrypted; Art. 34(3)(a)' });
});

it('quotes commas, quotes and line breaks so each value stays in its cell', () => {
  const tricky = { ...initech, title: 'Notify "Initech", Inc.\nat once', note: 'line one\r\nline two' };
  const text = renderCsv(incident(), [tricky]);
  expect(text).toContain('"Notify ""Initech"", Inc.\nat once"');
  const [row] = records(text);
  expect(row.Title).toBe('Notify "Initech", Inc.\nat once');
  expect(row.Note).toBe('line one\r\nline two');
});

it('defuses cells a spreadsheet would run as formulas', () => {
  const evil = {
    ...initech,
    title: '=HYPERLINK("http://evil.example","click")',
    recipient: '+1 800 EVIL',
    doneBy: '@SUM(A1:A9)',
    note: '-2+3',
    source: { ...(initech.source as Extract<typeof initech.source, { kind: 'clause' }>), quote: '\t=cmd' },
  };
  const [row] = records(renderCsv(incident(), [evil]));
  expect(row.Title).toBe(`'=HYPERLINK("http://evil.example","click")`);
  expect(row.Recipient).toBe(`'+1 800 EVIL`);
  expect(row['Done by']).toBe(`'@SUM(A1:A9)`);
  expect(row.Note).toBe(`'-2+3`);
  expect(row.Quote).toBe(`'\t=cmd`);
  // ordinary values are left alone
  expect(row['Due (UTC)']).toBe('2026-03-04T09:00:00Z');
});

it('shows local times in UTC when the incident zone is unknown, rather than failing', () => {
  const [row] = records(renderCsv(incident({ timeZone: 'Mars/Olympus' }), [gdpr]));
  expect(row['Due (UTC)']).toBe('2026-03-05T09:00:00Z');
  expect(row['Due (local, UTC)']).toBe('2026-03-05T09:00:00Z');
});
