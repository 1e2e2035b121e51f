import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  ALWAYS_OPEN,
  apiOf,
  buildWeb,
  launchChromium,
  loginAs,
  orgBySlug,
  type StartedServer,
  startServer,
} from '../e2e/server.ts';

/**
 * `npm run bench -- bundle` (run it under `flock /tmp/draht-e2e.lock` on a shared machine: it
 * builds into dist/web). Builds the web app, then reports from Vite's manifest
 *
 * - the gzip JS a caller's cold start needs: the app entry, the chunks it imports, the caller
 *   page's chunks and the German `common` and `calls` messages (baseline: all of the app's JS,
 *   which was one script before issue 13);
 * - the gzip JS of the public entry (`public.html`);
 *
 * and then starts the real server with demo data and measures, in Chromium with the network
 * emulated over CDP, the time from opening `/calls/<assignment>` with an empty cache (signed in)
 * until "Nächster Anruf" is visible, on 4G and on Chrome's Fast 3G, plus the JS bytes the browser
 * really received. The cold start's ratio is to the goal (1.5 s on 4G); a run without
 * compression (`Accept-Encoding: identity`) on 4G is printed beside it.
 */

const DIST = path.resolve('dist/web');
const CALLER = 'caller.dresden@demo.draht.local';
const ORGANIZER = 'organizer.sachsen@demo.draht.local';
const GOAL_MS = 1500;
const RUNS = 5;

/** Throughput in bytes per second, latency in ms (CDP Network.emulateNetworkConditions). */
const NETWORKS = {
  '4g': { latency: 170, downloadThroughput: 9_000_000 / 8, uploadThroughput: 1_500_000 / 8 },
  // Chrome DevTools' "Fast 3G" preset.
  'fast-3g': {
    latency: 150 * 3.75,
    downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
    uploadThroughput: ((750 * 1000) / 8) * 0.9,
  },
} as const;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The JS files a manifest key loads before it runs: its file and its static imports, transitively. */
export function staticClosure(manifest: Manifest, keys: string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest`);
    if (chunk.file.endsWith('.js')) files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const key of keys) visit(key);
  return files;
}

const gzipSize = (file: string) =>
  zlib.gzipSync(fs.readFileSync(path.join(DIST, file)), { level: 9 }).length;
const sum = (files: Iterable<string>) => [...files].reduce((total, file) => total + gzipSize(file), 0);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

export async function benchBundle(): Promise<void> {
  const t0 = performance.now();
  await buildWeb();
  console.log(`(built dist/web in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const manifest = JSON.parse(fs.readFileSync(path.join(DIST, '.vite/manifest.json'), 'utf8')) as Manifest;

  const publicJs = staticClosure(manifest, ['public.html']);
  const appJs = new Set(
    Object.values(manifest)
      .map((chunk) => chunk.file)
      .filter((file) => file.endsWith('.js') && !publicJs.has(file)),
  );
  const callerJs = staticClosure(manifest, [
    'index.html',
    'src/web/features/calls/components/CallerPage.tsx',
    'src/web/app/l10n/de.json',
    'src/web/features/calls/l10n/de.json',
  ]);
  const whole = sum(appJs);
  const caller = sum(callerJs);
  const pub = sum(publicJs);
  console.log(
    `bench bundle-caller-js: ${kb(caller)} KB gzip in ${callerJs.size} files (${(caller / whole).toFixed(2)} of baseline ${kb(whole)} KB gzip, the whole app's JS in ${appJs.size} files)`,
  );
  console.log(
    `bench bundle-public-js: ${kb(pub)} KB gzip in ${publicJs.size} files (${(pub / whole).toFixed(3)} of baseline)`,
  );

  const server = await startServer();
  const browser = await launchChromium();
  try {
    const assignmentId = await setUpAssignment(browser, server);
    const callerContext = await browser.newContext({ locale: 'de-DE' });
    await loginAs(await callerContext.newPage(), server, CALLER);
    const storageState = await callerContext.storageState();
    await callerContext.close();
    const url = `${server.url}/calls/${assignmentId}`;
    for (const [name, network] of Object.entries(NETWORKS)) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await coldStart(browser, storageState, url, network));
      reportColdStart(`cold-start-${name}`, runs);
    }
    const identity = [];
    for (let i = 0; i < RUNS; i++)
      identity.push(await coldStart(browser, storageState, url, NETWORKS['4g'], { 'Accept-Encoding': 'identity' }));
    reportColdStart('cold-start-4g-uncompressed', identity);
  } finally {
    await browser.close();
    await server.stop();
  }
}

function reportColdStart(name: string, runs: { ms: number; scriptBytes: number }[]) {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `bench ${name}: ${(median.ms / 1000).toFixed(2)} s median of ${runs.length} (${(median.ms / GOAL_MS).toFixed(2)} of the 1.5 s goal; ${kb(median.scriptBytes)} KB of JS transferred; fastest ${(sorted[0].ms / 1000).toFixed(2)} s, slowest ${(sorted.at(-1)!.ms / 1000).toFixed(2)} s)`,
  );
}

/** The organizer opens an all-day assignment over Dresden for the demo caller (as the e2e tests do). */
async function setUpAssignment(browser: Browser, server: StartedServer): Promise<string> {
  const context = await browser.newContext({ locale: 'de-DE' });
  const page = await context.newPage();
  await loginAs(page, server, ORGANIZER);
  const api = apiOf(page, server);
  const dresden = await orgBySlug(api, 'kreisverband-dresden');
  const list = await api('POST', '/api/queries', {
    orgId: dresden.id,
    name: 'Bench: alle in Dresden',
    filter: { kind: 'group', op: 'and', children: [] },
    mode: 'dynamic',
  });
  const assignment = await api('POST', '/api/call-assignments', {
    orgId: dresden.id,
    title: 'Bench: Kaltstart',
    targetQueryId: list.id,
    status: 'open',
    script: 'Hallo {{firstName}}, hier ist {{callerName}}.',
    callingHours: ALWAYS_OPEN,
  });
  const members = (await api('GET', `/api/orgs/${dresden.id}/memberships`)).items;
  const caller = members.find((m: { email: string }) => m.email === CALLER);
  await api('POST', `/api/call-assignments/${assignment.id}/callers`, { userId: caller.userId });
  await context.close();
  return assignment.id;
}

/** A signed-in caller with an empty cache opens the assignment on a phone; until "Nächster Anruf" shows. */
async function coldStart(
  browser: Browser,
  storageState: Awaited<ReturnType<BrowserContext['storageState']>>,
  url: string,
  network: (typeof NETWORKS)[keyof typeof NETWORKS],
  extraHTTPHeaders: Record<string, string> = {},
): Promise<{ ms: number; scriptBytes: number }> {
  const context = await browser.newContext({
    locale: 'de-DE',
    viewport: { width: 390, height: 844 },
    storageState,
    extraHTTPHeaders,
  });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...network });
    const scripts = new Set<string>();
    let scriptBytes = 0;
    cdp.on('Network.responseReceived', (event) => {
      if (event.type === 'Script') scripts.add(event.requestId);
    });
    cdp.on('Network.loadingFinished', (event) => {
      if (scripts.has(event.requestId)) scriptBytes += event.encodedDataLength;
    });
    const t0 = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.getByTestId('call-next').waitFor({ state: 'visible', timeout: 60_000 });
    const ms = performance.now() - t0;
    return { ms, scriptBytes };
  } finally {
    await context.close();
  }
}
