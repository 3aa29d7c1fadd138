import { AppError, todayIn, type Organisation, type OrganisationDetail, type OrganisationKind } from '@watchfloor/core';
import { OrganisationsRepository, toOrganisation } from '@watchfloor/db';
import type { AppContext } from '../../context';

export class OrganisationsService {
  private readonly repo: OrganisationsRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new OrganisationsRepository(ctx.store.db);
  }

  today(): string {
    return todayIn(this.ctx.clock);
  }

  async list(at: string, filter: { parentCode?: string | undefined; placeCode?: string | undefined; kind?: OrganisationKind | undefined }): Promise<Organisation[]> {
    return (await this.repo.listAt(at, filter)).map(toOrganisation);
  }

  async detail(code: string, at: string): Promise<OrganisationDetail> {
    const row = await this.repo.findAt(code, at);
    if (!row) {
      const versions = await this.repo.versions(code);
      if (versions.length === 0) throw new AppError('unknown_organisation_code', `No organisation has code ${code}`);
      const spans = versions.map(toOrganisation).map((v) => `${v.name} (${v.validFrom ?? '…'} – ${v.validTo ?? 'now'})`);
      throw new AppError('unknown_organisation_code', `Organisation ${code} did not exist on ${at}; it was ${spans.join(', ')}`, { versions: versions.map(toOrganisation) });
    }
    return {
      ...toOrganisation(row),
      children: (await this.repo.listAt(at, { parentCode: code })).map(toOrganisation),
      predecessors: (await this.repo.predecessors(row.id)).map(toOrganisation),
      successors: (await this.repo.successors(row.id)).map(toOrganisation),
    };
  }
}
