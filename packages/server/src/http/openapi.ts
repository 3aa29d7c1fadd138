import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { VERSION } from '../version';

/**
 * The OpenAPI 3.1 description, generated from the same zod schemas that
 * validate requests and responses, served at /api/openapi.json with a
 * browsable page at /api/docs (its assets are served locally: no CDN).
 */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Watchfloor API',
        version: VERSION,
        description:
          'Intelligent Operations Center (Trung tâm điều hành giám sát thông minh) for provinces and cities. ' +
          'Dates are YYYY-MM-DD in Vietnam time; answers about places are as of a date (`at`, default today). ' +
          'Errors are JSON `{ "error": "<code>", "message": "..." }`.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      tags: [
        { name: 'places', description: 'Administrative units as they were at any date, their boundaries and lineage' },
        { name: 'organisations', description: 'Agencies, versioned like places' },
        { name: 'system', description: 'Health, readiness and status' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { deepLinking: true, validatorUrl: null },
    staticCSP: true,
    // Swagger UI injects <style> elements: this page alone allows inline styles (and loads nothing from other origins).
    transformStaticCSP: (header) => header.replace("style-src 'self' https:", "style-src 'self' 'unsafe-inline'").replace("font-src 'self' https: data:", "font-src 'self' data:"),
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
