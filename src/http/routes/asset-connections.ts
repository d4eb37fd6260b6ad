/**
 * `/asset-connections`: the OPC UA asset connections as a REST resource (a server extension, not Part 2). Changes
 * apply at once: a created or replaced connection (re)connects, a deleted one disconnects. Connections of the
 * configuration file are listed and show their status, but change only in the file (409).
 */
import type { ApiRequest } from '../api-request.js';
import { toPagedResult } from '../../model/paging.js';
import { pageOf } from '../query.js';
import { noContent, ok, type Route, type Services } from '../route.js';

const ROOT = '/asset-connections';
const connectionId = (req: ApiRequest) => String(req.params.connectionId);
const location = (s: Services, id: string) => `${s.config.basePath}${ROOT}/${encodeURIComponent(id)}`;

export const assetConnectionRoutes: Route[] = [
  {
    method: 'GET',
    path: ROOT,
    async handle(req, s) {
      const page = pageOf(req, s);
      const all = s.assetConnections.list();
      const start = page.after === undefined ? 0 : all.findIndex((c) => c.id > page.after!);
      const items = start < 0 ? [] : all.slice(start, start + page.limit);
      const last = items[items.length - 1];
      const next = last !== undefined && all[all.length - 1]?.id !== last.id ? last.id : undefined;
      return ok(toPagedResult({ items, next }));
    },
  },
  {
    method: 'POST',
    path: ROOT,
    jsonBody: true,
    async handle(req, s) {
      const created = await s.assetConnections.create(req.body);
      return { status: 201, body: created, headers: { Location: location(s, created.id) } };
    },
  },
  {
    method: 'GET',
    path: `${ROOT}/{connectionId}`,
    async handle(req, s) {
      return ok(s.assetConnections.get(connectionId(req)));
    },
  },
  {
    method: 'PUT',
    path: `${ROOT}/{connectionId}`,
    jsonBody: true,
    async handle(req, s) {
      const id = connectionId(req);
      const { created } = await s.assetConnections.put(id, req.body);
      return created ? { status: 201, body: s.assetConnections.get(id), headers: { Location: location(s, id) } } : noContent();
    },
  },
  {
    method: 'DELETE',
    path: `${ROOT}/{connectionId}`,
    async handle(req, s) {
      await s.assetConnections.delete(connectionId(req));
      return noContent();
    },
  },
  {
    method: 'GET',
    path: `${ROOT}/{connectionId}/status`,
    async handle(req, s) {
      return ok(s.assetConnections.status(connectionId(req)));
    },
  },
];
