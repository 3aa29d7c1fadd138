import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, manualApi } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { serve } from '../../http/serve';
import { AuditLog, auditWho, scalars } from '../audit/service';
import { writeScopes } from '../sources/service';
import { ManualEntryService } from './service';

/** The manual-entry channel: the form of a manual source and the figures typed into it. */
export function manualRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new ManualEntryService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    serve(app, manualApi.form, async (req) => service.form(req.params.code, req.query, writeScopes(req.identity, 'data.supply')));

    serve(app, manualApi.enter, async (req) => {
      // A signed-in user (or a token acting for one) typed the figures: their login is recorded, not a name from the body.
      const login = req.identity.kind === 'anonymous' ? null : req.identity.login;
      const enteredBy = login ?? req.body.enteredBy;
      if (!enteredBy) throw new AppError('invalid_body', 'enteredBy: name who typed the figures (this API token acts for no user)');
      const entry = { ...req.body, enteredBy };
      const result = await service.enter(req.params.code, entry, writeScopes(req.identity, 'data.supply'), req.log);
      // The figures as typed, and the run that wrote them (its revisions keep the values they replaced).
      if (!result.dryRun) await audit.record(auditWho(req, entry.enteredBy), { action: 'manual_entry.enter', entityKind: 'manual_entry', entityKey: req.params.code, after: { run: scalars(result), entry } });
      return result;
    });
  };
}
