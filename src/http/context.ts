import { type Express, type RequestHandler } from 'express';
import { type Permission } from '../auth/permissions';
import { type AppDeps } from './deps';

/** What each routes module gets: the app to register on, the dependencies, and the permission guard. */
export interface RouteContext extends AppDeps {
  app: Express;
  allow(permission: Permission): RequestHandler;
}

export const API = '/api/v1';
