import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkTemplate, DataFileError, reportTemplateSchema, type Clock, type ReportTemplate } from '@watchfloor/core';
import { IndicatorsRepository, ReportTemplatesRepository, type Store } from '@watchfloor/db';

/**
 * The report templates shipped with the demo data: the demo province's
 * monthly socio-economic report (an example over the demo catalogue) and
 * the monthly administrative-procedure report with the Decision 766 dossier
 * measures of the province and by commune (the demo's dossier figures are
 * reported by commune and carry no agency; a province whose dossier records
 * name their agencies adds a `"by": "organisation"` table). Both name
 * indicators of the demo catalogue, so they come with it, after it.
 */
export const DEMO_REPORT_TEMPLATE_FILES = ['reports/bao-cao-kt-xh-thang-minh-hoa.json', 'reports/bao-cao-tthc-thang.json'] as const;

/** Reads a shipped template, refusing one that is not valid against the catalogue loaded, naming its file. */
export async function readTemplateFile(dataDir: string, file: string, known: ReadonlySet<string>): Promise<ReportTemplate> {
  const parsed = reportTemplateSchema.safeParse(JSON.parse(await readFile(join(dataDir, file), 'utf8')));
  if (!parsed.success) throw new DataFileError(file, null, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const issues = checkTemplate(parsed.data, known);
  if (issues.length > 0) throw new DataFileError(file, null, issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Adds the demo templates unless their codes exist: a steward's edits are never overwritten. Answers how many were added. */
export async function seedDemoReportTemplates(store: Store, options: { dataDir: string; clock: Clock }): Promise<number> {
  const known = new Set((await new IndicatorsRepository(store.db).all()).map((d) => d.code));
  const repo = new ReportTemplatesRepository(store.db);
  const now = options.clock.now().toISOString();
  let added = 0;
  for (const file of DEMO_REPORT_TEMPLATE_FILES) if (await repo.insertIfAbsent(await readTemplateFile(options.dataDir, file, known), now)) added++;
  return added;
}
