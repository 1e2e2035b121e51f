import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/lock.ts';
import { startServer } from './runtime.ts';

try {
  const config = loadConfig();
  const t0 = performance.now();
  // `npm run worker`: only the job workers, no HTTP server.
  const workerOnly = process.argv.includes('--worker');
  const server = await startServer(
    config,
    console.log,
    workerOnly ? { http: false, workers: true } : { http: true, workers: config.workers },
  );
  const database = config.databaseUrl ? 'postgres' : `pglite in ${config.dataDir}`;
  const ready = `ready in ${Math.round(performance.now() - t0)} ms`;
  server.app.log.info(
    workerOnly
      ? `Draht job worker runs (database: ${database}, ${ready})`
      : `Draht listens on ${config.publicUrl} (database: ${database}, job workers: ${config.workers ? 'on' : 'off'}, ${ready})`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info(`${signal}: shutting down`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
  } else {
    console.error('Draht could not start:', (err as Error).stack ?? err);
  }
  process.exit(1);
}
