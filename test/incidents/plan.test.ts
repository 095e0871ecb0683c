import { communicationPlan, notificationDrafts } from '../../src/incidents';
import { deadlines, gdpr, globexPrompt, incident, initech, initechUpdate, vendorDuty } from './incident-fixtures';

it('has one row per recipient, soonest first, grouping its deadlines', () => {
  const plan = communicationPlan(incident(), deadlines());
  expect(plan.map((r) => [r.notifier, r.recipient, r.recipientKind, r.status])).toEqual([
    ['us', 'Globex', 'customer', 'open'], // policy target 3 March
    ['us', 'Initech', 'customer', 'open'], // due 4 March
    ['Acme Hosting', 'us', 'vendor', 'done'],
    ['us', 'supervisory authority', 'authority', 'open'],
    ['us', 'data subjects', 'other', 'not_applicable'],
  ]);
  const initechRow = plan.find((r) => r.recipient === 'Initech')!;
  expect(initechRow.deadlines.map((d) => d.id)).toEqual([initech.id, initechUpdate.id]);
  expect(initechRow.earliestDueAt).toEqual(initech.dueAt);
  // the union of what the notices must say and how they are sent, without repeats
  expect(initechRow.method).toEqual(['e-mail to security@initech.example', 'telephone']);
  expect(initechRow.content).toEqual(['nature of the incident', 'categories of data', 'remediation steps', 'forensic report summary', 'status of the investigation']);
  const globexRow = plan.find((r) => r.recipient === 'Globex')!;
  expect(globexRow.earliestDueAt).toBeNull();
  expect(globexRow.deadlines[0]).toMatchObject({ qualifier: 'without undue delay', dueAt: null });
});

it('shows as the earliest due time the next deadline still to do, and the row status from all of them', () => {
  const first = { ...initech, status: 'done' as const, doneAt: new Date('2026-03-03T10:00:00Z'), doneBy: 'bob' };
  let [row] = communicationPlan(incident(), [first, initechUpdate]);
  expect(row.earliestDueAt).toEqual(initechUpdate.dueAt);
  expect(row.status).toBe('open');
  [row] = communicationPlan(incident(), [first, { ...initechUpdate, status: 'not_applicable' }]);
  expect(row.status).toBe('done');
  expect(row.earliestDueAt).toEqual(initech.dueAt);
  [row] = communicationPlan(incident(), [first, { ...initechUpdate, status: 'missed' }]);
  expect(row.status).toBe('missed');
});

it('drafts a notice for each recipient we must notify, none for what others owe us or what does not apply', () => {
  const drafts = notificationDrafts(incident(), deadlines(), { contact: null });
  expect(drafts.map((d) => d.recipient)).toEqual(['Globex', 'Initech', 'supervisory authority']);
  expect(drafts.find((d) => d.recipient === 'Initech')!.deadlineIds).toEqual([initech.id, initechUpdate.id]);
  expect(drafts.some((d) => d.deadlineIds.includes(vendorDuty.id))).toBe(false);
});

it('fills the draft from the incident facts and leaves what it cannot know as placeholders', () => {
  const [authority] = notificationDrafts(incident(), [gdpr], { contact: null });
  expect(authority.subject).toBe('Notification of a security incident: Acme Hosting storage exposure');
  const body = authority.body;
  expect(body).toMatch(/^DRAFT: review and edit before sending/);
  expect(body).toContain('- Notify the supervisory authority of a personal data breach (due Thu 5 Mar 2026, 10:00 CET (UTC+01:00); 2026-03-05 09:00 UTC; source: GDPR Art. 33(1))');
  expect(body).toContain('Send by: online form of the supervisory authority');
  expect(body).toContain('A storage bucket at Acme Hosting holding customer exports was publicly readable.');
  expect(body).toContain('- Became aware: Mon 2 Mar 2026, 10:00 CET (UTC+01:00); 2026-03-02 09:00 UTC');
  expect(body).toContain('- Detected: Mon 2 Mar 2026, 09:10 CET');
  expect(body).toContain('Personal data, credentials.');
  expect(body).toContain('Approximately 1,200 people. Jurisdictions: EU, DE.');
  expect(body).toContain('Measures taken\n[describe the measures taken]');
  expect(body).toContain('Contact\n[name, role, e-mail and telephone of the contact person]');
  // required content the facts do not answer is asked for explicitly
  expect(body).toContain('- Likely consequences: [describe: likely consequences]');
  expect(body).not.toContain('[describe: nature of the breach]');
});

it('uses the given contact and marks unknown facts for editing', () => {
  const inc = incident({ description: null, affectedCount: null, dataCategories: [], jurisdictions: [] });
  const [draft] = notificationDrafts(inc, [globexPrompt], { contact: 'Dana Lee, DPO, dpo@example.com, +49 30 1234' });
  expect(draft.body).toContain('Contact\nDana Lee, DPO, dpo@example.com, +49 30 1234');
  expect(draft.body).toContain('Acme Hosting storage exposure. [describe what happened]');
  expect(draft.body).toContain('[approximate number of people affected]');
  expect(draft.body).toContain('[the categories of data involved]');
  expect(draft.body).toContain("without undue delay; our policy target Tue 3 Mar 2026, 10:00 CET");
  expect(draft.body).toContain('Send by: written notice to legal@globex.example');
});

it('calls a draft for later updates only an update', () => {
  const [draft] = notificationDrafts(incident(), [initechUpdate], { contact: null });
  expect(draft.subject).toBe('Update on a security incident: Acme Hosting storage exposure');
});
