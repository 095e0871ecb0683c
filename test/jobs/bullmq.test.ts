import IORedis from 'ioredis';
import { createJobQueue, recoverUnfinished, type JobQueue } from '../../src/jobs';
import { type DocumentExtractor } from '../../src/jobs/extract-pool';
import { counting, createExtractPool, createMemoryStore, fixtureBytes, obligationsOf, silentLogger, testConfig, upload, type MemoryStore } from './job-helpers';
import { deleteKeysUnder } from '../helpers/redis-keys';

const redisUrl = process.env.REDIS_URL;

it('runs the jobs in-process when no Redis is configured', async () => {
  const queue = createJobQueue(testConfig(), { store: createMemoryStore(), logger: silentLogger });
  expect(queue.mode).toBe('in-process');
  expect(await queue.ping()).toBe(true);
  await queue.close();
});

it('accepts an upload while Redis is unreachable, leaving the contract queued', async () => {
  const store = createMemoryStore();
  // nothing listens on port 1
  const queue = createJobQueue(testConfig({ REDIS_URL: 'redis://127.0.0.1:1' }), { store, logger: silentLogger });
  const id = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
  const started = Date.now();
  expect(await queue.enqueueExtract(id)).toBe(false);
  expect(Date.now() - started).toBeLessThan(3500);
  expect(await queue.ping()).toBe(false);
  expect(await store.listUnfinishedContractIds()).toEqual([id]);
  await queue.close();
});

// The BullMQ suite needs a Redis server; CI sets REDIS_URL (see .ci/run).
if (redisUrl) {
  describe('BullMQ on Redis', () => {
    const prefix = `pwtest-${process.pid}-${Date.now()}`;
    const config = testConfig({ REDIS_URL: redisUrl });
    const admin = new IORedis(redisUrl);
    const pool = createExtractPool(config);
    let open: JobQueue[] = [];

    /** A queue as the API or a `pactwatch worker` process would hold it. */
    function queueFor(store: MemoryStore, extractor: DocumentExtractor = pool, retry = { attempts: 3, backoffMs: 50 }) {
      const q = createJobQueue(config, { store, logger: silentLogger, extractor, retry, prefix, shutdownGraceMs: 10_000 });
      open.push(q);
      return q;
    }

    async function until(check: () => Promise<boolean>, ms = 20_000) {
      const end = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > end) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    const settled = (store: MemoryStore, id: string) => async () => ['done', 'failed'].includes((await store.getContract(id))!.status);

    afterEach(async () => {
      await Promise.all(open.map((q) => q.close()));
      open = [];
      await deleteKeysUnder(admin, prefix);
    });
    afterAll(async () => {
      admin.disconnect();
      await pool.close();
    });

    it('processes an upload in a separate worker through to obligations', async () => {
      const store = createMemoryStore();
      const api = queueFor(store);
      const worker = queueFor(store);
      await worker.startWorkers();
      const id = await upload(store, fixtureBytes('saas-dpa-lumen.pdf'), 'lumen.pdf');
      expect(await api.enqueueExtract(id)).toBe(true);
      await until(settled(store, id));

      expect(await store.getContract(id)).toMatchObject({ status: 'done', errorCode: null });
      expect((await store.listClauses(id)).length).toBeGreaterThan(0);
      expect((await obligationsOf(store, id)).length).toBeGreaterThan(0);
      const counts = await api.counts();
      expect(counts.extract).toMatchObject({ completed: 1, failed: 0, waiting: 0, active: 0 });
      expect(counts.derive).toMatchObject({ completed: 1, failed: 0 });
      expect(await api.ping()).toBe(true);
    });

    it('shares the work between two workers and runs each contract once', async () => {
      const store = createMemoryStore();
      const extractor = counting(pool);
      const api = queueFor(store, extractor);
      await Promise.all([queueFor(store, extractor).startWorkers(), queueFor(store, extractor).startWorkers()]);
      const ids: string[] = [];
      for (const name of ['saas-dpa-lumen.txt', 'baa-meridian-health.txt', 'canadian-saas.txt', 'dpa-article-style.txt']) {
        ids.push(await upload(store, fixtureBytes(name), name));
      }
      // each twice, as a double click or a recovery pass would
      for (const id of [...ids, ...ids]) await api.enqueueExtract(id);
      for (const id of ids) await until(settled(store, id));
      for (const id of ids) expect((await store.getContract(id))!.status).toBe('done');
      expect(extractor.calls).toBe(ids.length);
    });

    it('retries a transient fault with backoff and ends done', async () => {
      const store = createMemoryStore();
      const extractor = counting(pool);
      const save = store.saveExtraction.bind(store);
      let failures = 2;
      store.saveExtraction = async (...args) => {
        if (failures-- > 0) throw new Error('connection reset by peer');
        return save(...args);
      };
      const api = queueFor(store, extractor);
      await queueFor(store, extractor).startWorkers();
      const id = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
      await api.enqueueExtract(id);
      await until(settled(store, id));
      expect(await store.getContract(id)).toMatchObject({ status: 'done' });
      expect(extractor.calls).toBe(3);
    });

    it('fails an unreadable document at once, with its code and no retry', async () => {
      const store = createMemoryStore();
      const extractor = counting(pool);
      const api = queueFor(store, extractor);
      await queueFor(store, extractor).startWorkers();
      const id = await upload(store, Buffer.from('%PDF-1.5\n%%EOF'), 'broken.pdf');
      await api.enqueueExtract(id);
      await until(settled(store, id));
      expect(await store.getContract(id)).toMatchObject({ status: 'failed', errorCode: 'PDF_CORRUPT' });
      // a retry would have come after 50 ms
      await new Promise((r) => setTimeout(r, 300));
      expect(extractor.calls).toBe(1);
      expect((await api.counts()).extract).toMatchObject({ failed: 1, completed: 0, delayed: 0 });
    });

    it('reprocesses a done contract under the same job id', async () => {
      const store = createMemoryStore();
      const extractor = counting(pool);
      const api = queueFor(store, extractor);
      await queueFor(store, extractor).startWorkers();
      const id = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
      await api.enqueueExtract(id);
      await until(settled(store, id));
      const obligations = (await obligationsOf(store, id)).length;

      await store.setStatus(id, 'queued');
      expect(await api.enqueueExtract(id)).toBe(true);
      await until(settled(store, id));
      expect(extractor.calls).toBe(2);
      expect(await obligationsOf(store, id)).toHaveLength(obligations);
    });

    it('picks up contracts left queued, at start-up and when Redis comes back', async () => {
      const store = createMemoryStore();
      // accepted while the queue was unreachable: stored, never enqueued
      const first = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
      const worker = queueFor(store);
      expect(await recoverUnfinished(store, worker)).toBe(1);
      await worker.startWorkers();
      await until(settled(store, first));
      expect((await store.getContract(first))!.status).toBe('done');

      const second = await upload(store, fixtureBytes('canadian-saas.txt'), 'canadian.txt');
      // drop the queue connections as a Redis restart would; they reconnect by themselves
      const clients = (await admin.client('LIST')) as string;
      const ours = clients.split('\n').filter((l) => l.includes(`name=pactwatch-queue-${process.pid}`));
      expect(ours.length).toBeGreaterThan(0);
      for (const line of ours) await admin.client('KILL', 'ID', /id=(\d+)/.exec(line)![1]);
      await until(settled(store, second));
      expect((await store.getContract(second))!.status).toBe('done');
    });

    it('lets a running job finish when the worker shuts down', async () => {
      const store = createMemoryStore();
      let release: () => void = () => undefined;
      const slow: DocumentExtractor = {
        extract: async (bytes) => {
          await new Promise<void>((r) => (release = r));
          return pool.extract(bytes);
        },
        close: async () => undefined,
      };
      const api = queueFor(store);
      const worker = queueFor(store, slow);
      await worker.startWorkers();
      const id = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
      await api.enqueueExtract(id);
      await until(async () => (await store.getContract(id))!.status === 'processing');

      const closing = worker.close();
      setTimeout(() => release(), 200);
      await closing;
      expect((await store.listClauses(id)).length).toBeGreaterThan(0);
      const counts = await api.counts();
      expect(counts.extract).toMatchObject({ active: 0, completed: 1 });
      // the derive job it queued waits for the next worker
      expect(counts.derive.waiting).toBe(1);
    });
  });
}
