import ICAL from 'ical.js';
import { renderIcs } from '../../src/incidents';
import { deadlines, gdpr, globexPrompt, incident, initech, vendorDuty } from './incident-fixtures';

function parse(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return cal.getAllSubcomponents('vevent').map((c) => {
    const event = new ICAL.Event(c);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate.toJSDate().toISOString(),
      status: c.getFirstPropertyValue('status'),
      alarms: c.getAllSubcomponents('valarm').map((a) => String(a.getFirstPropertyValue('trigger'))),
    };
  });
}

const opts = { alarmsMinutesBefore: [24 * 60, 60] };

it('opens in an iCalendar parser with one event per deadline that has a due time or a policy target', () => {
  const events = parse(renderIcs(incident(), deadlines(), opts));
  // six deadlines; the data subjects' one has neither a due time nor a target
  expect(events).toHaveLength(5);
  const byUid = new Map(events.map((e) => [e.uid, e]));
  expect(byUid.get(`${gdpr.id}@pactwatch`)!.start).toBe(gdpr.dueAt!.toISOString());
  expect(byUid.get(`${initech.id}@pactwatch`)!.start).toBe(initech.dueAt!.toISOString());
  expect(byUid.get(`${vendorDuty.id}@pactwatch`)!.start).toBe(vendorDuty.dueAt!.toISOString());
  expect(byUid.has('d-subjects@pactwatch')).toBe(false);
  // soonest first
  expect(events.map((e) => e.start)).toEqual([...events.map((e) => e.start)].sort());
});

it('puts alarms before open deadlines only', () => {
  const events = parse(renderIcs(incident(), deadlines(), opts));
  const gdprEvent = events.find((e) => e.uid === `${gdpr.id}@pactwatch`)!;
  expect(gdprEvent.alarms.sort()).toEqual(['-P1D', '-PT1H'].sort());
  const done = events.find((e) => e.uid === `${vendorDuty.id}@pactwatch`)!;
  expect(done.alarms).toEqual([]);
  expect(done.description).toContain('Status: done');
  expect(done.description).toContain('alice@example.com');
});

it('shows a deadline without a number at its policy target, marked as a target and not the deadline', () => {
  const events = parse(renderIcs(incident(), deadlines(), opts));
  const target = events.find((e) => e.uid === `${globexPrompt.id}@pactwatch`)!;
  expect(target.start).toBe(globexPrompt.policyTargetAt!.toISOString());
  expect(target.summary).toMatch(/^Target, not the contract's deadline: Notify Globex/);
  expect(target.description).toContain('without undue delay');
});

it('describes who notifies whom, how, what, and the source with its quote and page or citation', () => {
  const events = parse(renderIcs(incident(), deadlines(), opts));
  const vendor = events.find((e) => e.uid === `${vendorDuty.id}@pactwatch`)!;
  expect(vendor.summary).toContain('Acme Hosting to us');
  expect(vendor.description).toContain('Acme Hosting -> us');
  expect(vendor.description).toContain('contract with Acme Hosting, p. 4');
  expect(vendor.description).toContain('seventy-two (72) hours after becoming aware');
  expect(vendor.description).toContain('Method: e-mail to the customer security contact');
  const reg = events.find((e) => e.uid === `${gdpr.id}@pactwatch`)!;
  expect(reg.summary).toContain('supervisory authority');
  expect(reg.description).toContain('GDPR Art. 33(1)');
  expect(reg.description).toContain('likely consequences');
  // the incident's zone, in local time: 09:00 UTC is 10:00 in Berlin in March
  expect(reg.description).toContain('10:00 CET');
  expect(reg.description).toContain('2026-03-05 09:00 UTC');
});

it('writes the local time across a daylight-saving change correctly', () => {
  // Berlin moves to summer time at 01:00 UTC on 29 March 2026
  const d = { ...gdpr, dueAt: new Date('2026-03-29T01:30:00Z') };
  const [event] = parse(renderIcs(incident(), [d], opts));
  expect(event.start).toBe('2026-03-29T01:30:00.000Z');
  expect(event.description).toContain('03:30 CEST');
});

it('marks a not-applicable deadline as cancelled', () => {
  const d = { ...initech, status: 'not_applicable' as const, notApplicableReason: 'customer not affected' };
  const [event] = parse(renderIcs(incident(), [d], opts));
  expect(event.status).toBe('CANCELLED');
  expect(event.alarms).toEqual([]);
  expect(event.description).toContain('customer not affected');
});

it('is the same feed every time it is generated for the same data, with stable ids', () => {
  const a = renderIcs(incident(), deadlines(), opts);
  const b = renderIcs(incident(), deadlines(), opts);
  expect(a).toBe(b);
});

it('links each event to the incident when a base URL is given', () => {
  const text = renderIcs(incident(), [gdpr], { ...opts, baseUrl: 'https://pactwatch.example/' });
  const cal = new ICAL.Component(ICAL.parse(text));
  expect(cal.getFirstSubcomponent('vevent')!.getFirstPropertyValue('url')).toBe('https://pactwatch.example/api/v1/incidents/inc-1');
});
