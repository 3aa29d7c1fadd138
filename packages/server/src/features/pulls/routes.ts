import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataScope, pullJobSchema, runSchema, sourceCodeSchema } from '@watchfloor/core';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { SourcesService, writeScopes } from '../sources/service';
import { PullService } from './service';

const TAGS = ['sources'];
const codeParams = z.object({ code: sourceCodeSchema });

/** Pulls: run one now, and see a pull source's job (next run, failures in a row, cursor). */
export function pullsRoutes(ctx: AppContext, options: { instance?: string } = {}): FastifyPluginAsyncZod {
  return async (app) => {
    const pulls = new PullService(ctx, { ...options, log: app.log });
    const sources = new SourcesService(ctx);

    app.post(
      '/api/sources/:code/pull',
      {
        schema: {
          tags: TAGS,
          summary: 'Pull an http_pull or sql_pull source now',
          description:
            'Reads what is new since the cursor of the last committed batch and answers with the run. A pull that fails answers the run too, ' +
            'with status `failed` and `errorCode` (`source_unreachable`, `source_timeout`, `source_bad_answer`, `invalid_pull_config`…); its ' +
            'committed batches are kept, and the retry resumes from there. 409 `source_not_pullable` for other kinds of source, ' +
            '`source_disabled` for a disabled one, `pull_in_progress` while a pull of the source runs (on any instance). A source outside the caller’s scope ' +
            'answers 404; one they may read but not supply, 403 `forbidden`.',
          params: codeParams,
          response: { 200: runSchema, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) => {
        await sources.writable(req.params.code, writeScopes(req.identity, 'data.supply'));
        return pulls.runOnce(req.params.code);
      },
    );

    app.get(
      '/api/sources/:code/job',
      {
        schema: {
          tags: TAGS,
          summary: "A pull source's job: next run, failed attempts in a row, last error, cursor",
          params: codeParams,
          response: { 200: pullJobSchema, ...errors(400, 404, 409) },
        },
      },
      async (req) => {
        await sources.record(req.params.code, dataScope(req.identity));
        return pulls.job(req.params.code);
      },
    );
  };
}
