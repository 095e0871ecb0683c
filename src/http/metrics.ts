import { type RequestHandler } from 'express';
import type pino from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type JobQueue } from './deps';
import { routeOf } from './request-log';

/**
 * Prometheus metrics for one app: requests by route and status, their
 * durations, and the job queues' counts read at scrape time. A registry per
 * app (not the library's global one) lets tests build many apps in a process.
 */
export interface HttpMetrics {
  registry: Registry;
  middleware: RequestHandler;
}

export function createMetrics(jobs: JobQueue, logger: pino.Logger, registry: Registry = new Registry()): HttpMetrics {
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'pactwatch_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'pactwatch_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'pactwatch_jobs',
    help: 'Jobs in each queue, by state, when the metrics were read.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const counts = await jobs.counts();
        for (const [queue, states] of Object.entries(counts)) {
          for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
        }
      } catch (err) {
        // a queue that cannot be read leaves the gauge empty rather than failing the whole scrape
        logger.warn({ err }, 'job counts unavailable for metrics');
      }
    },
  });
  // jobs run in this process only (embedded mode); separate workers are not seen from here
  new Counter({
    name: 'pactwatch_job_seconds_total',
    help: 'Time spent running jobs in this process, by kind; divide by pactwatch_jobs_finished_total for the mean.',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [kind, d] of Object.entries(jobs.durations())) this.inc({ kind }, d.sumSeconds);
    },
  });
  new Counter({
    name: 'pactwatch_jobs_finished_total',
    help: 'Jobs finished (done or failed) in this process, by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [kind, d] of Object.entries(jobs.durations())) this.inc({ kind }, d.count);
    },
  });

  const middleware: RequestHandler = (req, res, next) => {
    const end = durations.startTimer();
    res.on('finish', () => {
      const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
      requests.inc(labels);
      end(labels);
    });
    next();
  };
  return { registry, middleware };
}
