import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { systemApi } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { statusReport } from '../system/service';
import { renderHome } from './page';
import { IndicatorsRepository, ObservationsRepository } from '@watchfloor/db';
import { syntheticFigures } from '../indicators/synthetic';
import { webAppRoutes } from './web-app';

/**
 * The web app when `webDir` holds a build of it; otherwise the placeholder
 * home page, which says how to build the app.
 */
export function homeRoutes(ctx: AppContext, options: { webDir?: string | undefined } = {}): FastifyPluginAsyncZod {
  if (options.webDir && existsSync(join(options.webDir, 'index.html'))) return webAppRoutes(options.webDir);
  return async (app) => {
    serve(app, systemApi.placeholder, async (req, reply) => {
      const lang = req.query.lang ?? 'vi';
      const s = await statusReport(ctx.store);
      reply.type('text/html; charset=utf-8');
      return renderHome(lang, {
        synthetic: (await syntheticFigures(ctx.store))?.text ?? null,
        indicators: await new IndicatorsRepository(ctx.store.db).count(),
        observations: await new ObservationsRepository(ctx.store.db).count(),
        version: s.version,
        database: s.database.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL',
        places: s.places,
        geometries: s.geometries,
        lineageEdges: s.lineageEdges,
        organisations: s.organisations,
      });
    });
  };
}
