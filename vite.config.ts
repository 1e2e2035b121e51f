import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npm run dev`: the API runs on PORT (default 3000) and Vite proxies /api to it.
    proxy: {
      '/api': `http://127.0.0.1:${process.env.PORT ?? '3000'}`,
    },
  },
});
