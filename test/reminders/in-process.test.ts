import { createReminderScheduler, MAX_TIMER_MS, type FetchLike, type ReminderPayload } from '../../src/reminders';
import { loadConfig } from '../../src/config';
import { type TrackedDeadline } from '../../src/obligations/incident-types';
import { gdpr, globexPrompt, incident, initech, vendorDuty } from '../incidents/incident-fixtures';
import { capturingLogger, expectedSignature, reminderConfig } from './reminder-helpers';

const NOW = new Date('2026-03-02T10:00:00Z');
const HOUR = 3600_000;

/** A stub HTTP client that records what would have been POSTed. */
function recordingFetch(statuses: number[] = []) {
  const calls: { url: string; headers: Record<string, string>; body: string; at: number }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, headers: init.headers, body: init.body, at: Date.now() });
    const status = statuses.shift() ?? 200;
    return { ok: status < 300, status };
  };
  return { fetch, calls, payloads: () => calls.map((c) => JSON.parse(c.body) as ReminderPayload) };
}

beforeEach(() => jest.useFakeTimers({ now: NOW }));
afterEach(() => jest.useRealTimers());

function scheduler(overrides: Record<string, string> = {}, statuses: number[] = []) {
  const rec = recordingFetch(statuses);
  const { logger, lines } = capturingLogger();
  const s = createReminderScheduler(reminderConfig(overrides), { logger, fetch: rec.fetch, retry: { attempts: 3, backoffMs: 1000 } });
  return { s, rec, lines };
}

it('posts a signed reminder at each lead time before an open deadline falls due', async () => {
  const { s, rec } = scheduler();
  expect(s.mode).toBe('in-process');
  // GDPR: due 5 March 09:00 UTC, 71 hours from now
  await s.schedule(incident(), [gdpr]);
  expect((await s.pending('inc-1')).map((p) => [p.leadMinutes, p.at.toISOString()])).toEqual([
    [1440, '2026-03-04T09:00:00.000Z'],
    [240, '2026-03-05T05:00:00.000Z'],
    [60, '2026-03-05T08:00:00.000Z'],
  ]);

  await jest.advanceTimersByTimeAsync(47 * HOUR - 1);
  expect(rec.calls).toHaveLength(0);
  await jest.advanceTimersByTimeAsync(1);
  expect(rec.calls).toHaveLength(1);
  expect(new Date(rec.calls[0].at).toISOString()).toBe('2026-03-04T09:00:00.000Z');

  const [call] = rec.calls;
  expect(call.url).toBe('https://hooks.example/pactwatch');
  expect(call.headers['X-Pactwatch-Signature']).toBe(expectedSignature(call.body));
  const payload = rec.payloads()[0];
  expect(call.headers['X-Pactwatch-Timestamp']).toBe(String(Date.parse(payload.sentAt) / 1000));
  expect(payload).toMatchObject({
    event: 'deadline.reminder',
    leadTime: { minutes: 1440, label: '1d' },
    anchor: 'due',
    incident: { id: 'inc-1', title: 'Acme Hosting storage exposure' },
    deadline: {
      id: gdpr.id,
      title: gdpr.title,
      dueAt: '2026-03-05T09:00:00.000Z',
      qualifier: null,
      recipient: 'supervisory authority',
      notifier: 'us',
      source: { kind: 'regulation', citation: 'GDPR Art. 33(1)' },
    },
  });

  await jest.advanceTimersByTimeAsync(24 * HOUR);
  expect(rec.payloads().map((p) => p.leadTime.label)).toEqual(['1d', '4h', '1h']);
  expect(await s.pending('inc-1')).toEqual([]);
  await s.close();
});

it('skips lead times already past, deadlines done or not applicable, and those with no time at all', async () => {
  const { s, rec } = scheduler();
  const soon = { ...initech, id: 'd-soon', dueAt: new Date(NOW.getTime() + 3 * HOUR) };
  const noTime: TrackedDeadline = { ...initech, id: 'd-none', dueAt: null, qualifier: 'promptly', policyTargetAt: null };
  const na: TrackedDeadline = { ...gdpr, id: 'd-na', status: 'not_applicable' };
  await s.schedule(incident(), [soon, vendorDuty, noTime, na]);
  expect((await s.pending('inc-1')).map((p) => `${p.deadlineId}/${p.leadMinutes}`)).toEqual(['d-soon/60']);
  await jest.advanceTimersByTimeAsync(4 * HOUR);
  expect(rec.calls).toHaveLength(1);
  await s.close();
});

it('reminds before the policy target of a deadline without a number, saying it is the target', async () => {
  const { s, rec } = scheduler({ PACTWATCH_REMINDER_LEAD_TIMES: '1h' });
  await s.schedule(incident(), [globexPrompt]);
  await jest.advanceTimersByTimeAsync(24 * HOUR);
  expect(rec.payloads()).toHaveLength(1);
  expect(rec.payloads()[0]).toMatchObject({
    anchor: 'policy_target',
    remindAt: '2026-03-03T08:00:00.000Z',
    deadline: { dueAt: null, qualifier: 'without undue delay', policyTargetAt: '2026-03-03T09:00:00.000Z', recipient: 'Globex' },
  });
  await s.close();
});

it('waits longer than a single timer can (about 24.8 days) in steps, and fires on time', async () => {
  const { s, rec } = scheduler({ PACTWATCH_REMINDER_LEAD_TIMES: '1h' });
  const far = { ...gdpr, dueAt: new Date(NOW.getTime() + 60 * 24 * HOUR) };
  await s.schedule(incident(), [far]);
  expect(60 * 24 * HOUR).toBeGreaterThan(2 * MAX_TIMER_MS);
  await jest.advanceTimersByTimeAsync(60 * 24 * HOUR - HOUR - 1);
  expect(rec.calls).toHaveLength(0);
  await jest.advanceTimersByTimeAsync(1);
  expect(rec.calls).toHaveLength(1);
  await s.close();
});

it('replaces the incident reminders on re-scheduling, and cancel removes them', async () => {
  const { s, rec } = scheduler();
  await s.schedule(incident(), [gdpr, initech]);
  await s.schedule(incident(), [gdpr, initech]);
  expect(await s.pending('inc-1')).toHaveLength(6);
  // initech done: its reminders go
  await s.schedule(incident(), [gdpr, { ...initech, status: 'done', doneAt: NOW, doneBy: 'bob' }]);
  expect((await s.pending('inc-1')).every((p) => p.deadlineId === gdpr.id)).toBe(true);
  // the due time moved: the reminders move with it
  await s.schedule(incident(), [{ ...gdpr, dueAt: new Date('2026-03-06T09:00:00Z') }]);
  expect((await s.pending('inc-1'))[0].at.toISOString()).toBe('2026-03-05T09:00:00.000Z');
  await s.cancel('inc-1');
  expect(await s.pending('inc-1')).toEqual([]);
  await jest.advanceTimersByTimeAsync(10 * 24 * HOUR);
  expect(rec.calls).toHaveLength(0);
  await s.close();
});

it('retries a failed delivery with backoff, and gives up on a receiver that rejects the request', async () => {
  const { s, rec, lines } = scheduler({ PACTWATCH_REMINDER_LEAD_TIMES: '1h' }, [500, 503, 200]);
  await s.schedule(incident(), [{ ...gdpr, dueAt: new Date(NOW.getTime() + 2 * HOUR) }]);
  await jest.advanceTimersByTimeAsync(HOUR);
  expect(rec.calls).toHaveLength(1);
  await jest.advanceTimersByTimeAsync(1000); // first retry after 1 s
  expect(rec.calls).toHaveLength(2);
  await jest.advanceTimersByTimeAsync(1999);
  expect(rec.calls).toHaveLength(2);
  await jest.advanceTimersByTimeAsync(1); // second after 2 s more
  expect(rec.calls).toHaveLength(3);
  // the same reminder each time, signed afresh
  expect(new Set(rec.calls.map((c) => c.headers['X-Pactwatch-Delivery'])).size).toBe(1);
  for (const c of rec.calls) expect(c.headers['X-Pactwatch-Signature']).toBe(expectedSignature(c.body));
  expect(lines.some((l) => l.msg === 'deadline reminder sent')).toBe(true);
  await s.close();

  const bad = scheduler({ PACTWATCH_REMINDER_LEAD_TIMES: '1h' }, [401, 200]);
  await bad.s.schedule(incident(), [{ ...gdpr, dueAt: new Date(Date.now() + 2 * HOUR) }]);
  await jest.advanceTimersByTimeAsync(2 * HOUR);
  expect(bad.rec.calls).toHaveLength(1);
  expect(bad.lines.some((l) => l.msg === 'deadline reminder not delivered')).toBe(true);
  await bad.s.close();
});

it('does nothing without a webhook, and says so once', async () => {
  const { logger, lines } = capturingLogger();
  const rec = recordingFetch();
  const s = createReminderScheduler(loadConfig({}), { logger, fetch: rec.fetch });
  expect(s.mode).toBe('disabled');
  await s.schedule(incident(), [gdpr]);
  await s.schedule(incident(), [gdpr]);
  await jest.advanceTimersByTimeAsync(5 * 24 * HOUR);
  expect(rec.calls).toHaveLength(0);
  expect(await s.pending('inc-1')).toEqual([]);
  expect(lines.filter((l) => /no PACTWATCH_WEBHOOK_URL/.test(l.msg))).toHaveLength(1);
  await s.close();
});
