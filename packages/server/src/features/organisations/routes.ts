import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isoDateSchema, organisationDetailSchema, organisationKindSchema, organisationSchema } from '@watchfloor/core';
import { atQuery, errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { OrganisationsService } from './service';

const orgCode = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'must be an organisation code (letters, digits, dashes)');

export function organisationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new OrganisationsService(ctx);
  return async (app) => {
    app.get(
      '/api/organisations',
      {
        schema: {
          tags: ['organisations'],
          summary: 'The agencies that existed on a date',
          querystring: atQuery.extend({
            parent: orgCode.optional().describe('Only agencies under this one'),
            place: z.string().regex(/^\d{2,5}$/).optional().describe('Only agencies serving this administrative unit'),
            kind: organisationKindSchema.optional(),
          }),
          response: { 200: z.object({ at: isoDateSchema, organisations: z.array(organisationSchema) }), ...errors(400) },
        },
      },
      async (req) => {
        const at = req.query.at ?? service.today();
        return { at, organisations: await service.list(at, { parentCode: req.query.parent, placeCode: req.query.place, kind: req.query.kind }) };
      },
    );

    app.get(
      '/api/organisations/:code',
      {
        schema: {
          tags: ['organisations'],
          summary: 'One agency as it was on a date, with the agencies under it, and those it came from and became',
          params: z.object({ code: orgCode }),
          querystring: atQuery,
          response: { 200: organisationDetailSchema.extend({ at: isoDateSchema }), ...errors(400, 404) },
        },
      },
      async (req) => {
        const at = req.query.at ?? service.today();
        return { at, ...(await service.detail(req.params.code, at)) };
      },
    );
  };
}
