import { parseArgs } from 'node:util';
import { z } from 'zod';
import * as authRepo from '../src/server/auth/auth.repo.ts';
import { hashPassword } from '../src/server/auth/secrets.ts';
import { rebuildCallAggregates } from '../src/server/calls/call-aggregates.service.ts';
import { ConfigError, loadConfig } from '../src/server/config.ts';
import { type DatabaseHandle, openDatabase } from '../src/server/db/database.ts';
import { DataDirLockedError } from '../src/server/db/lock.ts';
import { generatePeople } from '../src/server/demo/people-generator.ts';
import { formatCredentials, isDatabaseEmpty, seedDemo } from '../src/server/demo/seed-demo.ts';
import { findOrgByIdOrSlug } from '../src/server/orgs/orgs.repo.ts';
import { prepareDatabase } from '../src/server/runtime.ts';
import { Email, Password } from '../src/shared/common.ts';

const USAGE = `Usage: npm run draht -- <command>

Commands:
  migrate                                        apply pending database migrations
  admin create --email E --password P [--name N] create an instance administrator (superadmin)
  seed demo                                      fill an empty database with the demo party
  seed people --count N --org ID|SLUG [--seed S] generate realistic German people in a unit's subtree
  aggregates rebuild                             recount the campaign evaluation aggregates from the calls

The database is chosen like the server does: DATABASE_URL, else PGlite in DATA_DIR (./data).`;

class UsageError extends Error {}

/** Opens the configured database, brings it up to date, runs `run`; returns the migrations applied too. */
async function withDatabase<T>(
  run: (database: DatabaseHandle) => Promise<T>,
): Promise<{ result: T; applied: string[] }> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await prepareDatabase(database);
    return { result: await run(database), applied };
  } finally {
    await database.close();
  }
}

async function adminCreate(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  const email = Email.safeParse(values.email ?? '');
  if (!email.success) throw new UsageError('admin create: --email must be a valid email address');
  const password = Password.safeParse(values.password ?? '');
  if (!password.success) throw new UsageError('admin create: --password must have at least 8 characters');
  const name = z
    .string()
    .trim()
    .max(200)
    .parse(values.name ?? email.data.split('@')[0]);
  await withDatabase(async ({ db }) => {
    if (await authRepo.findUserByEmail(db, email.data)) {
      throw new UsageError(`admin create: a user with the email ${email.data} already exists`);
    }
    await authRepo.insertUser(db, {
      email: email.data,
      name,
      passwordHash: await hashPassword(password.data),
      isSuperadmin: true,
    });
  });
  console.log(
    `Created superadmin ${email.data}. They confirm the data-protection instruction at first login.`,
  );
}

async function seedPeople(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { count: { type: 'string' }, org: { type: 'string' }, seed: { type: 'string' } },
    strict: true,
  });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 5_000_000) {
    throw new UsageError('seed people: --count must be a whole number between 1 and 5000000');
  }
  if (!values.org) throw new UsageError('seed people: --org must name a unit (id or slug)');
  await withDatabase(async ({ db }) => {
    const org = await findOrgByIdOrSlug(db, values.org!);
    if (!org) throw new UsageError(`seed people: no unit with id or slug "${values.org}"`);
    const t0 = performance.now();
    await generatePeople(db, {
      count,
      rootOrgId: org.id,
      seed: values.seed ? Number(values.seed) : undefined,
      onProgress: (done) => process.stdout.write(`\r${done} / ${count}`),
    });
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `\nCreated ${count} people in ${org.name} in ${seconds.toFixed(1)} s (${Math.round(count / seconds)} people/s).`,
    );
  });
}

async function main(argv: string[]) {
  const [command, sub, ...rest] = argv;
  if (command === 'migrate') {
    const { applied } = await withDatabase(async () => undefined);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  } else if (command === 'admin' && sub === 'create') {
    await adminCreate(rest);
  } else if (command === 'seed' && sub === 'demo') {
    await withDatabase(async ({ db }) => {
      if (!(await isDatabaseEmpty(db)))
        throw new UsageError('seed demo: the database is not empty; demo data goes only into an empty one');
      console.log(formatCredentials(await seedDemo(db)));
    });
  } else if (command === 'seed' && sub === 'people') {
    await seedPeople(rest);
  } else if (command === 'aggregates' && sub === 'rebuild') {
    const t0 = performance.now();
    const { result } = await withDatabase(({ db }) => rebuildCallAggregates(db));
    console.log(
      `Rebuilt the evaluation aggregates in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${result.counts} count rows, ${result.people} people rows, ${result.answers} answer rows.`,
    );
  } else if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
  } else {
    throw new UsageError(`Unknown command: ${argv.join(' ')}\n\n${USAGE}`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
  } else if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    console.error((err as Error).message);
  } else {
    console.error((err as Error).stack ?? err);
  }
  process.exit(1);
}
