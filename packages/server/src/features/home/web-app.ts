import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '@watchfloor/core';

/** Paths that belong to the server, never to the web app's router: an unknown one is a coded 404, not the app. */
const SERVER_PATHS = /^\/(api|metrics|healthz|readyz)(\/|$)/;
/** A file at the top of the build (favicon.svg …), as opposed to a screen's path. */
const TOP_LEVEL_FILE = /^\/([\w.-]+\.[a-z0-9]+)$/i;

/**
 * Serves the built web app (packages/web/dist): the hashed assets under
 * /assets/ cached for good, the files at the top of the build, and
 * index.html for any other GET so that every screen's URL opens directly
 * (the app routes on the client). Files are looked up per request, so a
 * rebuild is served without a restart. Nothing here reaches another origin.
 */
export function webAppRoutes(distDir: string): FastifyPluginAsync {
  const indexPath = join(distDir, 'index.html');
  const assetsDir = join(distDir, 'assets');
  let index: { mtimeMs: number; html: string } | null = null;
  const indexHtml = async (): Promise<string> => {
    const { mtimeMs } = statSync(indexPath);
    if (index?.mtimeMs !== mtimeMs) index = { mtimeMs, html: await readFile(indexPath, 'utf8') };
    return index.html;
  };

  return async (app) => {
    await app.register(fastifyStatic, {
      root: assetsDir,
      prefix: '/assets/',
      index: false,
      cacheControl: false,
      setHeaders: (res, path) => {
        // Assets have a content hash in their name; the files at the top (favicon) do not.
        res.header('cache-control', path.startsWith(assetsDir) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.get('/*', { schema: { hide: true } }, async (req, reply) => {
      const path = req.url.split('?')[0] ?? '/';
      if (SERVER_PATHS.test(path)) throw new AppError('not_found', `No route for ${req.method} ${path}`);
      const file = TOP_LEVEL_FILE.exec(path)?.[1];
      if (file && file !== 'index.html' && existsSync(join(distDir, file))) return reply.sendFile(file, distDir);
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
      return indexHtml();
    });
  };
}
