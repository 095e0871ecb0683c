import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { createReminderScheduler, REMINDER_QUEUE, type ReminderPayload, type ReminderScheduler } from '../../src/reminders';
import { deleteKeysUnder } from '../helpers/redis-keys';
import { gdpr, incident, initech } from '../incidents/incident-fixtures';
import { capturingLogger, eventually, expectedSignature, reminderConfig, webhookServer } from './reminder-helpers';

const redisUrl = process.env.REDIS_URL;

// Needs a Redis server; CI sets REDIS_URL (see .ci/run). The in-process
// scheduler, which embedded mode uses, is tested without one.
if (redisUrl) {
  describe('reminders as delayed BullMQ jobs', () => {
    const prefix = `pwtest-reminders-${process.pid}-${Date.now()}`;
    const admin = new IORedis(redisUrl);
    const queue = new Queue(REMINDER_QUEUE, { connection: admin, prefix });
    let open: ReminderScheduler[] = [];

    function scheduler(overrides: Record<string, string> = {}, now?: () => Date) {
      const { logger, lines } = capturingLogger();
      const s = createReminderScheduler(reminderConfig({ REDIS_URL: redisUrl!, ...overrides }), { logger, prefix, now, retry: { attempts: 3, backoffMs: 100 } });
      open.push(s);
      return { s, lines };
    }

    async function delayed() {
      const jobs = await queue.getDelayed();
      return jobs.map((j) => ({ id: j.id, delay: j.opts.delay, deadlineId: (j.data as ReminderPayload).deadline.id })).sort((a, b) => a.delay! - b.delay!);
    }

    afterEach(async () => {
      await Promise.all(open.map((s) => s.close()));
      open = [];
      await deleteKeysUnder(admin, prefix);
    });
    afterAll(async () => {
      await queue.close();
      admin.disconnect();
    });

    it('queues one delayed job per lead time, with ids that make re-scheduling replace them', async () => {
      const now = new Date('2026-03-02T10:00:00Z');
      const { s } = scheduler({}, () => now);
      expect(s.mode).toBe('redis');
      await s.schedule(incident(), [gdpr, initech]);
      await s.schedule(incident(), [gdpr, initech]);
      let jobs = await delayed();
      expect(jobs).toHaveLength(6);
      expect(jobs.filter((j) => j.deadlineId === gdpr.id)).toEqual([
        { id: `reminder-${gdpr.id}-1440m`, delay: 47 * 3600_000, deadlineId: gdpr.id },
        { id: `reminder-${gdpr.id}-240m`, delay: 67 * 3600_000, deadlineId: gdpr.id },
        { id: `reminder-${gdpr.id}-60m`, delay: 70 * 3600_000, deadlineId: gdpr.id },
      ]);
      expect((await s.pending('inc-1')).map((p) => p.id)).toEqual(jobs.map((j) => j.id));

      // a deadline done and another moved: the jobs follow
      await s.schedule(incident(), [{ ...gdpr, dueAt: new Date('2026-03-05T10:00:00Z') }, { ...initech, status: 'done', doneAt: now, doneBy: 'bob' }]);
      jobs = await delayed();
      expect(jobs.map((j) => [j.id, j.delay])).toEqual([
        [`reminder-${gdpr.id}-1440m`, 48 * 3600_000],
        [`reminder-${gdpr.id}-240m`, 68 * 3600_000],
        [`reminder-${gdpr.id}-60m`, 71 * 3600_000],
      ]);

      await s.cancel('inc-1');
      expect(await delayed()).toEqual([]);
      expect(await s.pending('inc-1')).toEqual([]);
    });

    it('sends the reminder from the worker process, retrying after a 500', async () => {
      const server = await webhookServer([500]);
      try {
        const overrides = { PACTWATCH_WEBHOOK_URL: server.url, PACTWATCH_REMINDER_LEAD_TIMES: '1h' };
        const api = scheduler(overrides);
        const worker = scheduler(overrides);
        await worker.s.start();
        await api.s.schedule(incident(), [{ ...gdpr, dueAt: new Date(Date.now() + 3600_000 + 200) }]);
        expect(await api.s.pending('inc-1')).toHaveLength(1);
        await server.until(2);
        for (const r of server.received) expect(r.headers['x-pactwatch-signature']).toBe(expectedSignature(r.body));
        expect(JSON.parse(server.received[1].body)).toMatchObject({ deadline: { id: gdpr.id }, leadTime: { minutes: 60 } });
        await eventually(() => worker.lines.some((l) => l.msg === 'deadline reminder sent'));
        expect(worker.lines.some((l) => l.msg === 'deadline reminder failed; retrying')).toBe(true);
        await eventually(async () => (await api.s.pending('inc-1')).length === 0);
      } finally {
        await server.close();
      }
    });
  });
}
