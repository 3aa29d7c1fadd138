import { isDeepStrictEqual } from 'node:util';
import { ALL_DATA, AppError, todayIn, type DataScope, type IndicatorDefinition, type IndicatorDomain } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { CATALOGUE_FORMAT, CATALOGUE_VERSION, type CatalogueFile, type DefinitionIssue } from './schemas';
import { catalogueIssues, claimedCode, parseDefinition } from './validate';

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

const MESSAGES_SHOWN = 5;

/** The coded refusal of definitions, every problem listed in `details`. */
function refused(issues: DefinitionIssue[]): AppError {
  const shown = issues.slice(0, MESSAGES_SHOWN).map((i) => `${i.code ?? `#${i.index ?? '?'}`}${i.path ? ` (${i.path})` : ''}: ${i.message}`);
  const more = issues.length > MESSAGES_SHOWN ? `; and ${issues.length - MESSAGES_SHOWN} more` : '';
  return new AppError('invalid_indicator_definition', `${shown.join('; ')}${more}`, issues);
}

/**
 * The indicator catalogue as data stewards edit it. A definition is stored
 * only if it is sound on its own and the catalogue stays sound with it
 * (every reference known, nothing depending on itself); a file is imported
 * whole or not at all.
 */
export class CatalogueService {
  constructor(private readonly ctx: AppContext) {}

  /** The definitions a caller may read: the anonymous public, the published ones only. */
  async list(domain: IndicatorDomain | undefined, scope: DataScope): Promise<IndicatorDefinition[]> {
    const defs = await new IndicatorsRepository(this.ctx.store.db).list({ domain });
    return scope.kind === 'public' ? defs.filter((d) => d.published) : defs;
  }

  /** One definition; an unpublished one answers the anonymous public as an unknown one does. */
  async get(code: string, scope: DataScope): Promise<IndicatorDefinition> {
    const def = await new IndicatorsRepository(this.ctx.store.db).get(code);
    if (!def || (scope.kind === 'public' && !def.published)) throw new AppError('unknown_indicator', `No indicator has code ${code}`);
    return def;
  }

  /** Creates or replaces the definition of `code`; `created` tells which. */
  async put(code: string, raw: unknown): Promise<{ created: boolean; definition: IndicatorDefinition }> {
    const issues: DefinitionIssue[] = [];
    const claimed = claimedCode(raw);
    if (claimed !== null && claimed !== code) {
      issues.push({ code: claimed, path: 'code', reason: 'code_does_not_match_path', message: `the body defines ${claimed} but the path names ${code}` });
    }
    const parsed = parseDefinition(raw);
    if (!parsed.ok) issues.push(...parsed.issues);
    if (!parsed.ok || issues.length > 0) throw refused(issues);
    const definition = parsed.definition;
    return this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new IndicatorsRepository(trx);
      const stored = await repo.list();
      const problems = catalogueIssues(stored, [definition]);
      if (problems.length > 0) throw refused(problems);
      await repo.upsert([definition], this.now());
      return { created: !stored.some((d) => d.code === code), definition };
    });
  }

  /** The whole catalogue as a file, and the name to save it under (dated in Vietnam's time). */
  async exportFile(): Promise<{ filename: string; file: CatalogueFile }> {
    const indicators = await this.list(undefined, ALL_DATA);
    return {
      filename: `watchfloor-indicators-${todayIn(this.ctx.clock)}.json`,
      file: { format: CATALOGUE_FORMAT, version: CATALOGUE_VERSION, exportedAt: this.now(), indicators },
    };
  }

  /**
   * Imports definitions into the catalogue, replacing those of the same
   * code. Every definition and the merged catalogue are checked first; one
   * problem anywhere and nothing is stored. Identical definitions are left
   * untouched, so re-importing a file changes nothing.
   */
  async import(raws: readonly unknown[]): Promise<ImportResult> {
    const definitions: IndicatorDefinition[] = [];
    const indexOf = new Map<string, number>();
    const issues: DefinitionIssue[] = [];
    raws.forEach((raw, index) => {
      const parsed = parseDefinition(raw);
      if (parsed.ok) {
        definitions.push(parsed.definition);
        indexOf.set(parsed.definition.code, index);
      } else {
        issues.push(...parsed.issues.map((i) => ({ ...i, index })));
      }
    });
    if (issues.length > 0) throw refused(issues);
    return this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new IndicatorsRepository(trx);
      const stored = new Map((await repo.list()).map((d) => [d.code, d]));
      const problems = catalogueIssues([...stored.values()], definitions);
      if (problems.length > 0) {
        throw refused(problems.map((p) => {
          const index = p.code === null ? undefined : indexOf.get(p.code);
          return index === undefined ? p : { ...p, index };
        }));
      }
      const changed = definitions.filter((d) => !isDeepStrictEqual(stored.get(d.code), d));
      if (changed.length > 0) await repo.upsert(changed, this.now());
      const created = changed.filter((d) => !stored.has(d.code)).length;
      return { created, updated: changed.length - created, unchanged: definitions.length - changed.length };
    });
  }

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }
}
