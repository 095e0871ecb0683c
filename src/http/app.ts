import { type Server } from 'node:http';
import express from 'express';
import { type Permission } from '../auth/permissions';
import { requirePermission } from './auth.middleware';
import { registerContractRoutes } from './contracts.routes';
import { API, type RouteContext } from './context';
import { type AppDeps } from './deps';
import { renderDocsPage } from './docs-page';
import { registerHealthRoutes } from './health.routes';
import { type IncidentRouteOptions, registerIncidentRoutes } from './incidents.routes';
import { createMetrics } from './metrics';
import { registerMetaRoutes } from './meta.routes';
import { openapi } from './openapi';
import { errorHandler, notFound } from './problem';
import { apiRateLimit, signInGate, signInLimit } from './rate-limit';
import { answerClientErrors, bodyContentType, methodNotAllowed, requestShape, storableBody } from './request-guards';
import { requestLog } from './request-log';
import { registerSearchRoutes } from './search.routes';
import { registerWebPages } from './web';

export { type AppDeps, type JobQueue } from './deps';
export { type IncidentRouteOptions } from './incidents.routes';

/**
 * Builds the HTTP API without listening, so tests drive it in-process and the
 * CLI decides where it listens. Routes are registered on the app itself with
 * full paths: the OpenAPI test reads them back from the router.
 */
export function createApp(deps: AppDeps & { incidents?: IncidentRouteOptions }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // repeated keys become arrays, nested brackets stay literal: the validators then refuse what they do not expect
  app.set('query parser', 'simple');
  // behind N reverse proxies, the client's address is the one the Nth from here saw (for the per-address limits)
  if (deps.config.trustProxyHops > 0) app.set('trust proxy', deps.config.trustProxyHops);

  const metrics = createMetrics(deps.jobs, deps.logger, deps.metrics);
  app.use(requestLog(deps.logger));
  app.use(metrics.middleware);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(requestShape);
  // the API is limited per token, and an address that presented too many refused tokens may present none for a while;
  // the probes and the pages are not limited
  const signIns = signInLimit({ limit: deps.config.authFailureLimit });
  if (signIns) app.use([API, '/metrics'], signInGate(signIns));
  const limiter = apiRateLimit({ limit: deps.config.rateLimitPerMinute, logger: deps.logger });
  if (limiter) app.use([API, '/metrics'], limiter);
  // JSON bodies are small commands; documents arrive as multipart on the upload route only
  app.use(API, bodyContentType((method, path) => method === 'POST' && /^\/contracts\/?$/i.test(path)));
  app.use(API, express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }), storableBody);

  const guards = new Map<Permission, express.RequestHandler>();
  const ctx: RouteContext = {
    ...deps,
    app,
    allow(permission) {
      let guard = guards.get(permission);
      if (!guard) {
        guard = requirePermission(deps.store, deps.config, permission, signIns);
        guards.set(permission, guard);
      }
      return guard;
    },
  };

  registerWebPages(app);
  registerHealthRoutes(ctx, metrics.registry);
  app.get(`${API}/openapi.json`, (_req, res) => {
    res.json(openapi);
  });
  const docs = renderDocsPage();
  app.get(`${API}/docs`, (_req, res) => {
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.type('html').send(docs);
  });
  registerContractRoutes(ctx);
  registerSearchRoutes(ctx);
  registerMetaRoutes(ctx, deps.incidents);
  // the reminder scheduler is the caller's (it owns its timers or Redis connection, and closes them)
  registerIncidentRoutes(ctx, deps.incidents);

  app.use(methodNotAllowed(openapi.paths));
  app.use(notFound);
  app.use(errorHandler(deps.config.maxFileBytes));

  // however the app is served through listen(), what Node's parser refuses is answered as a problem too
  const listen = app.listen.bind(app) as (...args: unknown[]) => Server;
  app.listen = ((...args: unknown[]) => answerClientErrors(listen(...args), deps.logger)) as typeof app.listen;
  return app;
}
