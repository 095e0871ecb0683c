import { createHmac } from 'node:crypto';
import { createReminderScheduler, verifySignature, type ReminderPayload } from '../../src/reminders';
import { gdpr, incident, vendorDuty } from '../incidents/incident-fixtures';
import { capturingLogger, eventually, expectedSignature, reminderConfig, SECRET, webhookServer } from './reminder-helpers';

/** A deadline whose one-hour reminder falls due in `ms` real milliseconds. */
function dueSoon(ms: number) {
  return { ...gdpr, dueAt: new Date(Date.now() + 3600_000 + ms) };
}

it('POSTs a reminder a receiver can verify with the shared secret', async () => {
  const server = await webhookServer();
  const { logger } = capturingLogger();
  const s = createReminderScheduler(reminderConfig({ PACTWATCH_WEBHOOK_URL: server.url, PACTWATCH_REMINDER_LEAD_TIMES: '1h' }), { logger });
  try {
    const d = dueSoon(50);
    await s.schedule(incident(), [d]);
    await server.until(1);
    const [req] = server.received;
    expect(req.headers['content-type']).toBe('application/json');
    // the receiver's own check: HMAC-SHA256 of the raw body with the shared secret
    const mac = createHmac('sha256', SECRET).update(req.body).digest('hex');
    expect(req.headers['x-pactwatch-signature']).toBe(`sha256=${mac}`);
    expect(verifySignature(SECRET, req.body, req.headers['x-pactwatch-signature'] as string)).toBe(true);
    expect(verifySignature('another-secret-of-length', req.body, req.headers['x-pactwatch-signature'] as string)).toBe(false);
    expect(verifySignature(SECRET, req.body.replace('supervisory', 'Supervisory'), req.headers['x-pactwatch-signature'] as string)).toBe(false);

    const payload = JSON.parse(req.body) as ReminderPayload;
    // the timestamp header repeats the signed sentAt, so a replay of an old delivery shows
    expect(Number(req.headers['x-pactwatch-timestamp'])).toBe(Math.floor(Date.parse(payload.sentAt) / 1000));
    expect(Math.abs(Date.parse(payload.sentAt) - req.at)).toBeLessThan(5000);
    expect(req.headers['x-pactwatch-delivery']).toBe(payload.reminderId);
    expect(payload).toMatchObject({
      incident: { id: 'inc-1', title: 'Acme Hosting storage exposure' },
      deadline: { id: d.id, title: d.title, dueAt: d.dueAt.toISOString(), recipient: 'supervisory authority', notifier: 'us', method: d.method },
      leadTime: { minutes: 60, label: '1h' },
    });
  } finally {
    await s.close();
    await server.close();
  }
});

it('retries after the receiver answers 500, and the retry carries a valid signature', async () => {
  const server = await webhookServer([500]);
  const { logger, lines } = capturingLogger();
  const config = reminderConfig({ PACTWATCH_WEBHOOK_URL: server.url, PACTWATCH_REMINDER_LEAD_TIMES: '1h' });
  const s = createReminderScheduler(config, { logger, retry: { attempts: 3, backoffMs: 100 } });
  try {
    await s.schedule(incident(), [dueSoon(30)]);
    await server.until(2);
    expect(server.received[1].at - server.received[0].at).toBeGreaterThanOrEqual(90);
    for (const r of server.received) expect(r.headers['x-pactwatch-signature']).toBe(expectedSignature(r.body));
    expect(lines.some((l) => l.msg === 'deadline reminder failed; retrying')).toBe(true);
    // the receiver has answered; the sender logs it when the answer arrives
    await eventually(() => lines.some((l) => l.msg === 'deadline reminder sent'));
    expect(await s.pending('inc-1')).toEqual([]);
  } finally {
    await s.close();
    await server.close();
  }
});

it('retries when the receiver cannot be reached, then gives up and logs it', async () => {
  const server = await webhookServer();
  const url = server.url;
  await server.close(); // nothing listens there now
  const { logger, lines } = capturingLogger();
  const s = createReminderScheduler(reminderConfig({ PACTWATCH_WEBHOOK_URL: url, PACTWATCH_REMINDER_LEAD_TIMES: '1h' }), { logger, retry: { attempts: 2, backoffMs: 20 } });
  try {
    await s.schedule(incident(), [dueSoon(10), vendorDuty]);
    await eventually(() => lines.some((l) => l.msg === 'deadline reminder not delivered'));
    expect(lines.filter((l) => l.msg === 'deadline reminder failed; retrying')).toHaveLength(1);
    expect(lines.find((l) => l.msg === 'deadline reminder not delivered')).toMatchObject({ attempts: 2 });
  } finally {
    await s.close();
  }
});
