import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ingestResultSchema, manualEntrySchema, manualFormQuerySchema, manualFormSchema, sourceCodeSchema } from '@watchfloor/core';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { AuditLog, auditWho, scalars } from '../audit/service';
import { writeScopes } from '../sources/service';
import { ManualEntryService } from './service';

const params = z.object({ code: sourceCodeSchema });

/** The manual-entry channel: the form of a manual source and the figures typed into it. */
export function manualRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new ManualEntryService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    app.get(
      '/api/sources/:code/form',
      {
        schema: {
          tags: ['sources'],
          summary: 'The entry form of a manual source for a period and place: the indicators it supplies, with unit, frequency, valid range and the value stored',
          description: "The indicators are the one fixed by the source's mapping, else those owed by the source's owner agency (base indicators, not rates).",
          params,
          querystring: manualFormQuerySchema,
          response: { 200: manualFormSchema, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) => service.form(req.params.code, req.query, writeScopes(req.identity, 'data.supply')),
    );

    app.post(
      '/api/sources/:code/entries',
      {
        schema: {
          tags: ['sources'],
          summary: 'Write the figures typed into the form of a manual source',
          description:
            'One run of the `manual` channel, recording who typed the figures. Each figure is validated by the one write path; a refused one comes back in ' +
            '`rejectedRows` with its position (`line`, from 1) and coded reason. Sending the same form again changes nothing; a changed value becomes a revision. ' +
            'A source outside the caller’s scope answers 404; one they may read but not supply, 403 `forbidden`. A signed-in user is recorded as who typed the figures.',
          params,
          body: manualEntrySchema,
          response: { 200: ingestResultSchema, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) => {
        // A signed-in user (or a token acting for one) typed the figures: their login is recorded, not a name from the body.
        const login = req.identity.kind === 'anonymous' ? null : req.identity.login;
        const enteredBy = login ?? req.body.enteredBy;
        if (!enteredBy) throw new AppError('invalid_body', 'enteredBy: name who typed the figures (this API token acts for no user)');
        const entry = { ...req.body, enteredBy };
        const result = await service.enter(req.params.code, entry, writeScopes(req.identity, 'data.supply'), req.log);
        // The figures as typed, and the run that wrote them (its revisions keep the values they replaced).
        if (!result.dryRun) await audit.record(auditWho(req, entry.enteredBy), { action: 'manual_entry.enter', entityKind: 'manual_entry', entityKey: req.params.code, after: { run: scalars(result), entry } });
        return result;
      },
    );
  };
}
