import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newPGlite, openPGlite } from '../src/server/db/database.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'draht-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['cli/draht.ts', ...args], {
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

// Each run opens the embedded database in a new process (~3–4 s on PGlite): generous timeouts.
describe('npm run draht', { timeout: 120_000 }, () => {
  it('migrate, admin create (once per email), seed demo (only into an empty database)', async () => {
    const migrate = await run(['migrate']);
    expect(migrate).toMatchObject({ code: 0 });
    expect(migrate.out).toContain('202611231500_foundation');
    expect((await run(['migrate'])).out).toContain('up to date');

    const created = await run([
      'admin',
      'create',
      '--email',
      'Chefin@Example.org',
      '--password',
      'geheim-genug',
    ]);
    expect(created.code).toBe(0);
    expect(created.out).toContain('chefin@example.org');
    const twice = await run([
      'admin',
      'create',
      '--email',
      'chefin@example.org',
      '--password',
      'geheim-genug',
    ]);
    expect(twice.code).toBe(1);
    expect(twice.err.trim()).toBe('admin create: a user with the email chefin@example.org already exists');
    const weak = await run(['admin', 'create', '--email', 'x@example.org', '--password', 'kurz']);
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('at least 8 characters');

    const seed = await run(['seed', 'demo']);
    expect(seed.code).toBe(1);
    expect(seed.err).toContain('not empty');

    const rebuilt = await run(['aggregates', 'rebuild']);
    expect(rebuilt.code, rebuilt.err).toBe(0);
    expect(rebuilt.out).toMatch(/^Rebuilt the evaluation aggregates in [\d.]+ s: \d+ count rows/);

    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('Unknown command');

    // The superadmin is in the database, unconfirmed instruction, with an argon2id hash.
    const handle = await openPGlite(newPGlite(path.join(dataDir, 'pglite')));
    const users = await handle.db
      .selectFrom('users')
      .select(['email', 'isSuperadmin', 'passwordHash'])
      .execute();
    const confirmations = await handle.db.selectFrom('instructionConfirmations').selectAll().execute();
    await handle.close();
    expect(users).toEqual([
      {
        email: 'chefin@example.org',
        isSuperadmin: true,
        passwordHash: expect.stringMatching(/^\$argon2id\$/),
      },
    ]);
    expect(confirmations).toEqual([]);
  });

  it('refuses a data directory another process holds, with a clear message and exit code 1', async () => {
    const holder: ChildProcess = spawn(
      process.execPath,
      [
        '-e',
        `import('./src/server/db/lock.ts').then((m) => { m.lockDataDir(${JSON.stringify(dataDir)}); console.log('locked'); setInterval(() => {}, 1000); })`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
      const res = await run(['migrate']);
      expect(res.code).toBe(1);
      expect(res.err).toContain(`in use by another Draht process (pid ${holder.pid})`);
    } finally {
      holder.kill('SIGKILL');
    }
    // A lock left behind by a dead process does not block the next start.
    await new Promise((r) => setTimeout(r, 200));
    expect((await run(['migrate'])).code).toBe(0);
  });

  it('rejects a bad configuration value with one line naming the variable', async () => {
    const res = await run(['migrate'], { PORT: 'zwölf' });
    expect(res.code).toBe(1);
    expect(res.err.trim().split('\n')).toHaveLength(1);
    expect(res.err).toContain('PORT');
  });
});
