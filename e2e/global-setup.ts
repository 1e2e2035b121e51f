import { buildWeb } from './server.ts';

/** Builds the web app once for all browser tests (the server serves dist/web). */
export default async function setup() {
  await buildWeb();
}
