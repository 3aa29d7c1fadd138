import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dataScope, periodContaining, periodKey, previousPeriod, reportsApi, todayIn } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { AuditLog, auditWho } from '../audit/service';
import { attachment } from '../par/evidence';
import { renderDocx } from './docx';
import { renderPdf } from './pdf';
import { ReportSchedulesService } from './schedules';
import { ReportsService } from './service';

/** Report templates, edited by data stewards, and the reports rendered from them for a period. */
export function reportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new ReportsService(ctx);
  const audit = new AuditLog(ctx);
  /** The last whole month: what a monthly report is about. */
  const lastMonth = () => periodKey(previousPeriod(periodContaining('month', todayIn(ctx.clock))));

  return async (app) => {
    const schedules = new ReportSchedulesService(ctx, app.pdf);
    serve(app, reportsApi.list, async () => ({ templates: await service.list() }));

    serve(app, reportsApi.detail, async (req) => service.get(req.params.code));

    serve(app, reportsApi.save, async (req, reply) => {
      const { created, template, change } = await service.put(req.params.code, req.body);
      await audit.record(auditWho(req), change);
      return reply.status(created ? 201 : 200).send(template);
    });

    // The model is the seam between figures and file formats: Word and PDF are written from the same model.
    serve(app, reportsApi.render, async (req, reply) => {
      const period = req.query.period ?? lastMonth();
      const pdf = req.query.format === 'pdf';
      if (pdf && !app.pdf.available()) throw app.pdf.unavailable();
      const model = await service.model(req.params.code, period, dataScope(req.identity));
      const file = pdf ? await renderPdf(model, app.pdf) : await renderDocx(model);
      reply.header('content-disposition', attachment(`bao-cao-${model.code}-${model.periodKey}.${pdf ? 'pdf' : 'docx'}`));
      reply.header('cache-control', 'private, no-store');
      reply.type(pdf ? reportsApi.PDF : reportsApi.DOCX);
      return file;
    });

    serve(app, reportsApi.schedules, async (req) => ({ schedules: await schedules.list(req.identity) }));

    serve(app, reportsApi.saveSchedule, async (req, reply) => {
      const { created, schedule, change } = await schedules.put(req.params.code, req.body, req.identity);
      await audit.record(auditWho(req), change);
      return reply.status(created ? 201 : 200).send(schedule);
    });

    serve(app, reportsApi.renderings, async (req) => ({ renderings: await schedules.renderings(req.params.code, req.identity) }));

    // The file as it was kept: its stored SHA-256 is its ETag, so a copy already held is not sent again.
    serve(app, reportsApi.renderingFile, async (req, reply) => {
      const { meta, fileName, mediaType, content } = await schedules.file(req.params.code, req.params.id, req.identity);
      const etag = `"${meta.sha256}"`;
      reply.header('etag', etag);
      reply.header('x-content-sha256', meta.sha256);
      reply.header('cache-control', 'private, no-cache');
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      reply.header('content-disposition', attachment(fileName));
      reply.type(mediaType);
      return content;
    });

    serve(app, reportsApi.runSchedule, async (req, reply) => {
      const { created, rendering, change } = await schedules.run(req.params.code, req.identity);
      await audit.record(auditWho(req), change);
      return reply.status(created ? 201 : 200).send(rendering);
    });
  };
}
