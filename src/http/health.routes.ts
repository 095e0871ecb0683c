import { type Registry } from 'prom-client';
import { type RouteContext } from './context';
import { problem, sendProblem } from './problem';

/** A dependency that does not answer within this is treated as down: a probe must not hang. */
const CHECK_TIMEOUT_MS = 2000;

async function check(probe: () => Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Probes at the root, where orchestrators and Prometheus look for them.
 * /healthz says the process answers; /readyz that the database and the queue
 * do too. /metrics needs an admin token: it names routes and queue sizes.
 */
export function registerHealthRoutes({ app, store, jobs, allow }: RouteContext, registry: Registry): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const [database, queue] = await Promise.all([check(() => store.ping()), check(() => jobs.ping())]);
    const checks = { database: database ? 'up' : 'down', queue: queue ? 'up' : 'down' };
    if (database && queue) {
      res.json({ status: 'ready', checks });
      return;
    }
    res.setHeader('Retry-After', '5');
    sendProblem(res, problem(503, 'NOT_READY', 'A dependency is not answering.', { checks }));
  });

  app.get('/metrics', allow('metrics:read'), async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
}
