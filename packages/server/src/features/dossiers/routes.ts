import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataScope, dossierMeasuresSchema, instantSchema, isoDateSchema } from '@watchfloor/core';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { DossiersService } from './service';
import { AuditLog, auditWho } from '../audit/service';

/** Public-service dossiers (hồ sơ TTHC) and their Decision 766/QĐ-TTg measures. */
export function dossiersRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new DossiersService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    app.put(
      '/api/dossiers',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'Save dossiers by their code, all or nothing',
          description:
            'Each row is checked (agency existing and place valid when the dossier was received, due and resolved not before received, no code twice); ' +
            'one bad row saves nothing: 400 `invalid_body` with `details` listing `{ index, reason, message }`. Sending a dossier again updates it. ' +
            'Every dossier, as sent and as stored, must be within the scope the caller may write dossiers in; one outside it saves nothing: 403 `forbidden` naming the codes.',
          // Rows are validated one by one in the service so that every problem is named, not only the first.
          body: z.object({
            dossiers: z
              .array(z.unknown())
              .max(50_000)
              .describe('Dossiers: { code, procedure, procedureName?, organisation, place?, receivedAt, dueAt, resolvedAt?, channel: online|offline, paidOnline? }; instants ISO 8601 with an offset'),
          }),
          response: { 200: z.object({ saved: z.number().int() }), ...errors(400, 403, 413, 415) },
        },
      },
      async (req) => {
        const saved = await service.save(req.body.dossiers, dataScope(req.identity, 'dossiers.write'));
        // One entry per save, naming the dossiers (the first thousand) and what changed.
        const codes = req.body.dossiers.flatMap((d) => (typeof d === 'object' && d !== null && 'code' in d && typeof d.code === 'string' ? [d.code] : []));
        const key = codes.length === 1 ? (codes[0] ?? '') : `${codes[0] ?? ''} (+${codes.length - 1})`;
        await audit.record(auditWho(req), { action: 'dossiers.save', entityKind: 'dossier', entityKey: key, after: { ...saved, codes: codes.slice(0, 1000) } });
        return { saved: saved.saved };
      },
    );

    app.get(
      '/api/dossiers/measures',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'The Decision 766 measures of a period: to process, in process, processed, rates',
          description:
            'received, carried over (received before the period, not resolved before it), to process; in process at the end (or `asOf`): late, due within 24 hours, not yet due; ' +
            'processed: early (before the due day), on time (on the due day, by the due time), late; late, on-time and online rates as numerator and denominator (value null when nothing counts).',
          querystring: z.object({
            from: isoDateSchema.describe('First day of the period (Vietnam)'),
            to: isoDateSchema.describe('Last day of the period (Vietnam), inclusive'),
            asOf: instantSchema.optional().describe('Count as of this instant when the period is not over; default its end'),
            organisation: z.string().regex(/^[A-Za-z0-9-]{1,40}$/).optional(),
            place: z.string().regex(/^\d{2,5}$/).optional().describe('A commune or province code'),
          }),
          response: { 200: dossierMeasuresSchema, ...errors(400) },
        },
      },
      async (req) => service.measures(req.query, dataScope(req.identity)),
    );
  };
}
