import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web app's build: everything bundled from this repository (no CDN);
 * the map library, its worker and the chart library are split into chunks
 * loaded only by the screens that show them. `npm run build:web` builds to
 * dist/, which the server serves; `vite` alone serves it for development
 * with the API proxied to a running server.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The map library is one large module, loaded lazily; the warning is about the main chunk.
    chunkSizeWarningLimit: 1100,
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
