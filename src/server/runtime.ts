import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { authJobs } from './auth/auth.jobs.ts';
import { callsJobs } from './calls/calls.jobs.ts';
import type { Config } from './config.ts';
import { type DatabaseHandle, openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { formatCredentials, isDatabaseEmpty, seedDemo } from './demo/seed-demo.ts';
import { DUPLICATE_SCAN_JOB, duplicatesJobs } from './duplicates/duplicates.jobs.ts';
import { scanWorker } from './duplicates/duplicates.service.ts';
import { registerAllFilterKinds } from './filter-kinds.ts';
import { IMPORT_RUN_JOB, importJobs, onImportStarted } from './imports/imports.jobs.ts';
import { ensureDefaultInstruction } from './instruction/instruction.service.ts';
import { type JobQueue, startJobQueue } from './jobs/queue.ts';
import { MAIL_DELIVERY_JOB, mailJobs } from './mail/mail.jobs.ts';
import { createMailService } from './mail/mail.service.ts';

/** Brings a database to the current schema and its required rows. */
export async function prepareDatabase(database: DatabaseHandle): Promise<string[]> {
  const applied = await migrateToLatest(database.db);
  await ensureDefaultInstruction(database.db);
  return applied;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

/** Opens the database, migrates, seeds demo data on an empty one, starts jobs and HTTP. */
export async function startServer(
  config: Config,
  print: (line: string) => void = console.log,
): Promise<RunningServer> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  let queue: JobQueue | undefined;
  let app: FastifyInstance | undefined;
  registerAllFilterKinds();
  try {
    await prepareDatabase(database);
    if (config.demo && (await isDatabaseEmpty(database.db))) {
      print(formatCredentials(await seedDemo(database.db)));
    }
    const mail = createMailService(config, () => {
      queue?.send(MAIL_DELIVERY_JOB).catch((err) => app?.log.error({ err }, 'could not queue mail delivery'));
    });
    app = await buildApp({ database, config, mail });
    queue = await startJobQueue(
      database,
      [
        ...authJobs(database.db),
        ...mailJobs(database.db, mail),
        ...duplicatesJobs(database.db),
        ...callsJobs(database.db),
        ...importJobs({ db: database.db, config, mail, log: app.log, ip: null }),
      ],
      app.log,
    );
    onImportStarted(() => {
      queue?.send(IMPORT_RUN_JOB).catch((err) => app?.log.error({ err }, 'could not queue an import run'));
    });
    scanWorker.wake = () => {
      queue
        ?.send(DUPLICATE_SCAN_JOB)
        .catch((err) => app?.log.error({ err }, 'could not queue a duplicate scan'));
    };
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const running = app;
    return {
      app: running,
      url: `http://${config.host}:${port}`,
      async stop() {
        await running.close();
        await queue?.stop();
        mail.close();
        await database.close();
      },
    };
  } catch (err) {
    await app?.close().catch(() => {});
    await queue?.stop().catch(() => {});
    await database.close().catch(() => {});
    throw err;
  }
}
