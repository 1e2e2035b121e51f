import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { type DatabaseHandle, openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { formatCredentials, isDatabaseEmpty, seedDemo } from './demo/seed-demo.ts';
import { registerAllFilterKinds } from './filter-kinds.ts';
import { ensureDefaultInstruction } from './instruction/instruction.service.ts';
import { createAppJobs } from './job-modules.ts';
import { createMailService } from './mail/mail.service.ts';

/** Brings a database to the current schema and its required rows. */
export async function prepareDatabase(database: DatabaseHandle): Promise<string[]> {
  const applied = await migrateToLatest(database.db);
  await ensureDefaultInstruction(database.db);
  return applied;
}

export interface RunningServer {
  app: FastifyInstance;
  /** The HTTP address, or null for a worker process. */
  url: string | null;
  stop(): Promise<void>;
}

/** What this process runs: the HTTP server, the job workers, or both (the default). */
export interface ProcessRoles {
  http: boolean;
  workers: boolean;
}

/**
 * Opens the database, migrates, seeds demo data on an empty one (web processes), starts the job
 * layer (with workers unless DRAHT_WORKERS=0) and HTTP (unless this is `npm run worker`).
 */
export async function startServer(
  config: Config,
  print: (line: string) => void = console.log,
  roles: ProcessRoles = { http: true, workers: config.workers },
): Promise<RunningServer> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  const jobs = createAppJobs();
  let app: FastifyInstance | undefined;
  registerAllFilterKinds();
  try {
    await prepareDatabase(database);
    if (roles.http && config.demo && (await isDatabaseEmpty(database.db))) {
      print(formatCredentials(await seedDemo(database.db)));
    }
    const mail = createMailService(config, jobs);
    // A worker process builds the app too (no listening): its logger and the context jobs run with.
    app = await buildApp({ database, config, mail, jobs });
    await jobs.start(database, { workers: roles.workers, log: app.log });
    let url: string | null = null;
    if (roles.http) {
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      url = `http://${config.host}:${port}`;
    }
    const running = app;
    return {
      app: running,
      url,
      async stop() {
        await running.close();
        await jobs.stop();
        mail.close();
        await database.close();
      },
    };
  } catch (err) {
    await app?.close().catch(() => {});
    await jobs.stop().catch(() => {});
    await database.close().catch(() => {});
    throw err;
  }
}
