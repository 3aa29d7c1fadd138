import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { statusReport } from '../system/service';
import { renderHome } from './page';

export function homeRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/',
      { schema: { hide: true, querystring: z.object({ lang: z.enum(['vi', 'en']).optional() }) } },
      async (req, reply) => {
        const lang = req.query.lang ?? 'vi';
        const s = await statusReport(ctx.store);
        reply.type('text/html; charset=utf-8');
        return renderHome(lang, {
          version: s.version,
          database: s.database.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL',
          places: s.places,
          geometries: s.geometries,
          lineageEdges: s.lineageEdges,
          organisations: s.organisations,
        });
      },
    );
  };
}
