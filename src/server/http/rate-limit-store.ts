import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../db/database.ts';
import { countRequest, readRequestCount } from './rate-limit.repo.ts';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;
/** What the plugin hands to the store: its merged options, with the route for a route's child. */
type StoreOptions = { routeInfo?: { method?: string | string[]; url?: string } };

/**
 * A store for @fastify/rate-limit that keeps its counters in PostgreSQL, so N instances behind a
 * load balancer enforce one limit, not N. Each route gets its own keys (`method url|client`).
 */
export function postgresRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  const Store = class PostgresRateLimitStore {
    readonly prefix: string;
    // The plugin constructs the global store with its options, then a child per route.
    constructor(options: StoreOptions = {}) {
      const info = options.routeInfo;
      this.prefix = info?.url ? `${[info.method].flat().join(',')} ${info.url}|` : 'global|';
    }
    incr(key: string, cb: Callback, timeWindow: number) {
      countRequest(db, this.prefix + key, timeWindow).then((r) => cb(null, r), cb);
    }
    read(key: string, cb: Callback) {
      readRequestCount(db, this.prefix + key).then((r) => cb(null, r), cb);
    }
    child(routeOptions: unknown) {
      return new PostgresRateLimitStore(routeOptions as StoreOptions);
    }
  };
  return Store as unknown as FastifyRateLimitStoreCtor;
}
