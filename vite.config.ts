import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
/** Mantine's base (not the date pickers or charts, which only some pages load) and what it needs. */
const MANTINE =
  /node_modules[\\/](@mantine[\\/](core|hooks|notifications)|@floating-ui|@tabler|react-remove-scroll|react-number-format|react-textarea-autosize|use-callback-ref|use-sidecar|react-style-singleton|get-nonce|detect-node-es|tslib|clsx|react-transition-group)[\\/]/;
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;

/**
 * Writes `<file>.br` (quality 11) and `<file>.gz` (level 9) next to every text file of the build,
 * once, so the server sends them with `@fastify/static`'s `preCompressed` and never compresses
 * on a request. Files under 1 KB stay as they are (a compressed copy saves nothing).
 */
function precompress(): Plugin {
  return {
    name: 'draht-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist/web';
      await Promise.all(
        Object.keys(bundle)
          .filter((name) => COMPRESSIBLE.test(name))
          .map(async (name) => {
            const file = path.join(dir, name);
            const content = await fs.promises.readFile(file);
            if (content.length < 1024) return;
            const [br, gz] = await Promise.all([
              brotli(content, {
                params: {
                  [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
                  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
                },
              }),
              gzip(content, { level: 9 }),
            ]);
            await Promise.all([
              fs.promises.writeFile(`${file}.br`, br),
              fs.promises.writeFile(`${file}.gz`, gz),
            ]);
          }),
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    // `.vite/manifest.json`: which chunks each entry and page needs (read by `npm run bench -- bundle`).
    manifest: true,
    rolldownOptions: {
      input: {
        // The signed-in app (Mantine, React Router, TanStack Query; pages as lazy chunks).
        app: path.resolve(import.meta.dirname, 'index.html'),
        // Public pages (/p/…): plain TypeScript, no Mantine, no login code, < 60 KB gzip.
        public: path.resolve(import.meta.dirname, 'public.html'),
      },
      output: {
        codeSplitting: {
          groups: [
            {
              // Shared by both entries, so its own file (the public entry must not load the shell).
              name: 'i18next',
              test: /node_modules[\\/]i18next[\\/]/,
              priority: 3,
            },
            {
              // React, the router, TanStack Query: what every signed-in page runs, in one file
              // instead of dozens (each a round trip on a slow phone).
              name: 'shell',
              test: (id) =>
                id.includes('node_modules') && !MANTINE.test(id) && !/node_modules[\\/]vite[\\/]/.test(id),
              tags: ['$initial'],
              priority: 2,
            },
            {
              // The Mantine components any page uses, in one file. Not tagged `$initial`: that
              // would count every component the `@mantine/core` index re-exports.
              name: 'ui',
              test: MANTINE,
              priority: 1,
            },
          ],
        },
      },
    },
  },
  server: {
    // `npm run dev`: the API runs on PORT (default 3000) and Vite proxies /api to it.
    proxy: {
      '/api': `http://127.0.0.1:${process.env.PORT ?? '3000'}`,
    },
  },
});
