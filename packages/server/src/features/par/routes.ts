import fastifyMultipart from '@fastify/multipart';
import { buffer as readAll } from 'node:stream/consumers';
import type { FastifyError, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { parApi, todayIn, type Identity } from '@watchfloor/core';
import { serve } from '../../http/serve';
import { receiveUpload } from '../../http/uploads';
import type { AppContext } from '../../context';
import { AuditLog, auditWho } from '../audit/service';
import { attachment, readEvidence } from './evidence';
import { ParService, type ParCaller, type ParChange } from './service';
import { frameworkFromXlsx, frameworkToXlsx, resultsToXlsx } from './xlsx';

/** Who a request acts for: its identity, and the name its steps are recorded under, the one the audit log gives it (a token without a person and no name given: the token's). */
function callerOf(req: FastifyRequest): ParCaller {
  const identity: Identity = req.identity;
  const actor = auditWho(req).actor;
  const login = identity.kind === 'anonymous' ? null : actor !== 'anonymous' ? actor : identity.kind === 'token' ? `token:${identity.name}` : null;
  return { identity, login };
}

/**
 * The PAR Index drive: frameworks, the yearly cycle of each unit's steps,
 * evidence files and results. Who may call each route is in the access
 * table; what each caller may touch is judged unit by unit in the service.
 */
export function parRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new ParService(ctx);
  const audit = new AuditLog(ctx);
  const record = (req: FastifyRequest, change: ParChange) => audit.record(auditWho(req), change);

  return async (app) => {
    // Frameworks.
    serve(app, parApi.frameworks, async () => ({ frameworks: await service.listFrameworks() }));
    serve(app, parApi.framework, async (req) => service.getFramework(req.params.code));

    await app.register(async (doc) => {
      // A document that is no usable framework says what is wrong with it as `invalid_par_framework`, each problem in `details`.
      doc.setErrorHandler((err: FastifyError, req) => {
        if (hasZodFastifySchemaValidationErrors(err) && err.validationContext === 'body') service.parseFramework(req.body);
        throw err;
      });
      serve(doc, parApi.saveFramework, async (req, reply) => {
        const caller = callerOf(req);
        const { created, answer, change } = await service.saveFramework(req.body, caller.login, req.params.code);
        await record(req, change);
        return reply.status(created ? 201 : 200).send(answer);
      });
    });

    serve(app, parApi.exportFramework, async (req, reply) => {
      const { framework } = await service.getFramework(req.params.code);
      reply.header('content-disposition', attachment(`${framework.code}.json`));
      reply.type('application/json; charset=utf-8');
      return `${JSON.stringify(framework, null, 2)}\n`;
    });

    serve(app, parApi.exportFrameworkXlsx, async (req, reply) => {
      const { framework } = await service.getFramework(req.params.code);
      reply.header('content-disposition', attachment(`${framework.code}.xlsx`));
      reply.type(parApi.exportFrameworkXlsx.response.contentType);
      return frameworkToXlsx(framework);
    });

    serve(app, parApi.copyFramework, async (req) => {
      const { answer, change } = await service.copy(req.params.code, req.body, callerOf(req).login);
      await record(req, change);
      return answer;
    });

    await app.register(async (upload) => {
      const limit = ctx.config.uploadLimitBytes;
      await upload.register(fastifyMultipart, { limits: { fileSize: limit, files: 1, fields: 10 } });
      serve(upload, parApi.importFrameworkXlsx, async (req, reply) => {
        const { file } = await receiveUpload(req, limit);
        try {
          const content = file.buffer ?? (await readAll(file.stream()));
          const framework = service.parseFramework(await frameworkFromXlsx(content));
          const { created, answer, change } = await service.saveFramework(framework, callerOf(req).login);
          await record(req, change);
          return reply.status(created ? 201 : 200).send(answer);
        } finally {
          await file.dispose();
        }
      });
    });

    // Cycles.
    serve(app, parApi.cycles, async (req) => ({ cycles: await service.listCycles(req.identity) }));

    serve(app, parApi.openCycle, async (req) => {
      const { detail, change } = await service.openCycle(req.body, callerOf(req));
      await record(req, change);
      return detail;
    });

    serve(app, parApi.cycle, async (req) => service.cycleDetail(req.params.id, req.identity));

    serve(app, parApi.refreshComputed, async (req) => {
      const { detail, change } = await service.refresh(req.params.id, callerOf(req));
      await record(req, change);
      return detail;
    });

    serve(app, parApi.publish, async (req) => {
      const { cycle, change } = await service.publish(req.params.id, callerOf(req));
      await record(req, change);
      return cycle;
    });

    serve(app, parApi.late, async (req) => ({ late: await service.late(req.params.id, req.identity) }));

    // One unit's assessment.
    serve(app, parApi.assessment, async (req) => service.assessment(req.params.id, req.params.unit, req.identity));

    serve(app, parApi.assess, async (req) => {
      const { leaf, change } = await service.assess(req.params.id, req.params.unit, req.params.criterion, req.body, callerOf(req));
      await record(req, change);
      return leaf;
    });

    serve(app, parApi.appraise, async (req) => {
      const { leaf, change } = await service.appraise(req.params.id, req.params.unit, req.params.criterion, req.body, callerOf(req));
      await record(req, change);
      return leaf;
    });

    serve(app, parApi.answer, async (req) => {
      const { leaf, change } = await service.answer(req.params.id, req.params.unit, req.params.criterion, req.body, callerOf(req));
      await record(req, change);
      return leaf;
    });

    serve(app, parApi.decide, async (req) => {
      const { leaf, change } = await service.decide(req.params.id, req.params.unit, req.params.criterion, req.body, callerOf(req));
      await record(req, change);
      return leaf;
    });

    const steps = [
      [parApi.submit, 'submit'],
      [parApi.returnAppraisal, 'return'],
      [parApi.finishAnswer, 'answer'],
      [parApi.finalise, 'decide'],
    ] as const;
    for (const [contract, action] of steps) {
      serve(app, contract, async (req) => {
        const { assessment, change } = await service.step(action, req.params.id, req.params.unit, req.body?.note ?? null, callerOf(req));
        await record(req, change);
        return assessment;
      });
    }

    // Evidence.
    await app.register(async (upload) => {
      const limit = ctx.config.evidenceLimitBytes;
      await upload.register(fastifyMultipart, { limits: { fileSize: limit, files: 1, fields: 10 } });
      serve(upload, parApi.uploadEvidence, async (req) => {
        const caller = callerOf(req);
        // Where it goes and who may put it there, before a byte of it is read.
        const target = await service.evidenceTarget(req.params.id, req.params.unit, req.params.criterion, caller.identity);
        const { file, fileName } = await receiveUpload(req, limit);
        try {
          const evidence = await readEvidence(file, fileName);
          const { leaf, change } = await service.addEvidence(target, evidence, caller);
          await record(req, change);
          return leaf;
        } finally {
          await file.dispose();
        }
      });
    });

    serve(app, parApi.evidence, async (req, reply) => {
      const file = await service.evidenceFile(req.params.evidenceId, req.identity);
      reply.header('content-disposition', attachment(file.fileName));
      reply.header('x-content-type-options', 'nosniff');
      reply.header('content-security-policy', "default-src 'none'; sandbox");
      reply.header('cache-control', 'private, no-store');
      reply.type(file.mediaType);
      return file.content;
    });

    serve(app, parApi.removeEvidence, async (req, reply) => {
      const change = await service.removeEvidence(req.params.evidenceId, callerOf(req));
      await record(req, change);
      return reply.status(204).send();
    });

    // Results.
    serve(app, parApi.results, async (req) => (await service.results(req.params.id, req.identity, req.query.kind)).results);

    serve(app, parApi.resultsXlsx, async (req, reply) => {
      const { results, rows } = await service.results(req.params.id, req.identity);
      const assessments = await service.assessmentsOf(req.params.id, rows, req.identity);
      reply.header('content-disposition', attachment(`chi-so-cchc-${results.cycle.year}-${results.cycle.frameworkCode}-${todayIn(ctx.clock)}.xlsx`));
      reply.type(parApi.resultsXlsx.response.contentType);
      return resultsToXlsx(results, assessments);
    });
  };
}
