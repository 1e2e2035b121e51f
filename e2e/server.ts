import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { openPostgres } from '../src/server/db/database.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

export async function buildWeb(): Promise<void> {
  await build({ logLevel: 'warn', configFile: path.resolve('vite.config.ts') });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface StartedServer {
  url: string;
  output: () => string;
  /** Demo credentials the server printed on its first start. */
  credentials: Map<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts the real server (`node src/server/main.ts`) with demo data on a fresh database: a new
 * PGlite data dir, or a new PostgreSQL database when DATABASE_URL is set.
 */
export async function startServer(): Promise<StartedServer> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'draht-e2e-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DRAHT_DEMO: '1',
    LOG_LEVEL: 'warn',
  };
  let dropDatabase = async () => {};
  if (process.env.DATABASE_URL) {
    const name = `draht_e2e_${randomBytes(5).toString('hex')}`;
    const admin = await openPostgres(process.env.DATABASE_URL, 1);
    await sql.raw(`create database ${name}`).execute(admin.db);
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    dropDatabase = async () => {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await admin.close();
    };
  }
  const child: ChildProcess = spawn(process.execPath, ['src/server/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start in 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const credentials = new Map<string, string>();
  for (const m of out.matchAll(/^\s+(\S+@demo\.draht\.local)\s+(\S+)/gm)) credentials.set(m[1], m[2]);
  return {
    url,
    output: () => out,
    credentials,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs a demo user in with the password the server printed, confirming the instruction on first login. */
export async function loginAs(page: Page, server: StartedServer, email: string): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('E-Mail').fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(server.credentials.get(email)!);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByTestId('instruction-confirm').click();
  await page.getByTestId('start-greeting').waitFor();
}

export interface ServerAndBrowser {
  server: StartedServer;
  browser: Browser;
}

/**
 * Starts a server and a browser before a test file's tests and stops them after, through the
 * test runner's hooks (passed in: this module is also loaded by the global setup, where the
 * runner's API is not available). Read `server` and `browser` inside the tests.
 */
export function serverAndBrowser(hooks: {
  beforeAll: (fn: () => Promise<void>) => void;
  afterAll: (fn: () => Promise<void>) => void;
}): ServerAndBrowser {
  const started = {} as ServerAndBrowser;
  hooks.beforeAll(async () => {
    started.server = await startServer();
    started.browser = await launchChromium();
  });
  hooks.afterAll(async () => {
    await started.browser?.close();
    await started.server?.stop();
  });
  return started;
}

/** A page in a new German-locale context (1280×900 unless told otherwise). */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    locale: 'de-DE',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  return context.newPage();
}

/** A new page with `email` signed in. */
export async function signedInPage(
  browser: Browser,
  server: StartedServer,
  email: string,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await newPage(browser, options);
  await loginAs(page, server, email);
  return page;
}

/** Calls the JSON API with the page's session; throws (failing the test) on any error status. */
export function apiOf(page: Page, server: StartedServer) {
  return async (method: string, url: string, data?: unknown) => {
    const res = await page.request.fetch(`${server.url}${url}`, { method, data });
    if (!res.ok()) throw new Error(`${method} ${url}: ${res.status()} ${await res.text()}`);
    return res.json();
  };
}

/** The unit with this slug, as `GET /api/orgs` lists it to the caller of `api`. */
export async function orgBySlug(api: ReturnType<typeof apiOf>, slug: string) {
  return (await api('GET', '/api/orgs')).items.find((o: { slug: string }) => o.slug === slug);
}

const ALL_DAY = [{ from: '00:00', to: '24:00' }];

/** Calling hours open all day on every weekday, so calls may be made whenever the tests run. */
export const ALWAYS_OPEN = {
  mon: ALL_DAY,
  tue: ALL_DAY,
  wed: ALL_DAY,
  thu: ALL_DAY,
  fri: ALL_DAY,
  sat: ALL_DAY,
  sun: ALL_DAY,
};

/** A screenshot for a human to look at, when SHOTS_DIR is set (nothing otherwise). */
export async function screenshotIfAsked(page: Page, name: string): Promise<void> {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}
