import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/lock.ts';
import { startServer } from './runtime.ts';

try {
  const config = loadConfig();
  const t0 = performance.now();
  const server = await startServer(config);
  server.app.log.info(
    `Draht listens on ${config.publicUrl} (database: ${config.databaseUrl ? 'postgres' : `pglite in ${config.dataDir}`}, ready in ${Math.round(performance.now() - t0)} ms)`,
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
