import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dataScope, dossiersApi } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { serve } from '../../http/serve';
import { exportFormatOf, exportLanguageOf, sendTable } from '../../http/exports';
import { DossiersService } from './service';
import { AuditLog, auditWho } from '../audit/service';
import { dossiersTable } from './exports';

/** Public-service dossiers (hồ sơ TTHC) and their Decision 766/QĐ-TTg measures. */
export function dossiersRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new DossiersService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    serve(app, dossiersApi.save, async (req) => {
      const saved = await service.save(req.body.dossiers, dataScope(req.identity, 'dossiers.write'));
      // One entry per save, naming the dossiers (the first thousand) and what changed.
      const codes = req.body.dossiers.flatMap((d) => (typeof d === 'object' && d !== null && 'code' in d && typeof d.code === 'string' ? [d.code] : []));
      const key = codes.length === 1 ? (codes[0] ?? '') : `${codes[0] ?? ''} (+${codes.length - 1})`;
      await audit.record(auditWho(req), { action: 'dossiers.save', entityKind: 'dossier', entityKey: key, after: { ...saved, codes: codes.slice(0, 1000) } });
      return { saved: saved.saved };
    });

    serve(app, dossiersApi.list, async (req, reply) => {
      const format = exportFormatOf(req);
      // A file holds every dossier matching the filters (`limit` when given), streamed page by page; the screen's JSON, the first 1,000.
      if (format) {
        const lang = exportLanguageOf(req);
        return sendTable(reply, dossiersTable(service.stream(req.query, dataScope(req.identity)), lang, ctx.clock.now().toISOString(), req.query), format, lang);
      }
      return { dossiers: await service.list(req.query, dataScope(req.identity)) };
    });

    serve(app, dossiersApi.measures, async (req) => service.measures(req.query, dataScope(req.identity)));
  };
}
