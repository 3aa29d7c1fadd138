import {
  AppError,
  DASHBOARD_FILE_FORMAT,
  DASHBOARD_VERSION,
  dashboardIndicators,
  dashboardSchema,
  describeIssues,
  parseBoard,
  playlistSchema,
  todayIn,
  type BoardIssue,
  type DataScope,
  type Dashboard,
  type DashboardFile,
  type DashboardSummary,
  type Playlist,
  type PlaylistSummary,
} from '@watchfloor/core';
import { DashboardsRepository, IndicatorsRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';

function refusedDashboard(issues: BoardIssue[]): AppError {
  return new AppError('invalid_dashboard', describeIssues(issues), issues);
}

function refusedPlaylist(issues: BoardIssue[]): AppError {
  return new AppError('invalid_playlist', describeIssues(issues), issues);
}

/** What a document claims to be called, to compare with the path before anything else. */
function claimedCode(raw: unknown): string | null {
  const code = typeof raw === 'object' && raw !== null ? (raw as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}

/** Whether a caller sees a dashboard: the anonymous public sees the published ones; anyone signed in, all. */
function visibleTo(scope: DataScope, d: Dashboard): boolean {
  return scope.kind !== 'public' || d.published === true;
}

/**
 * Dashboards and playlists as data stewards compose them. A dashboard is
 * stored only when it reads under the core schema and every indicator it
 * names is in the catalogue; a playlist only when its dashboards exist.
 * Every change is announced live after it is stored, so open walls re-read.
 */
export class DashboardsService {
  constructor(private readonly ctx: AppContext) {}

  private repo(): DashboardsRepository {
    return new DashboardsRepository(this.ctx.store.db);
  }

  /** The dashboards a caller may see: the anonymous public, the published ones only. */
  async list(scope: DataScope): Promise<DashboardSummary[]> {
    return (await this.repo().dashboards.list())
      .filter((b) => visibleTo(scope, b.document))
      .map((b) => ({
        code: b.document.code,
        title: b.document.title,
        panels: b.document.panels.length,
        demo: b.document.demo,
        published: b.document.published === true,
        updatedAt: b.updatedAt,
      }));
  }

  /** One dashboard; an unpublished one answers the anonymous public as an unknown one does. */
  async get(code: string, scope: DataScope): Promise<Dashboard> {
    const b = await this.repo().dashboards.get(code);
    if (!b || !visibleTo(scope, b.document)) throw new AppError('unknown_dashboard', `No dashboard has code ${code}`);
    return b.document;
  }

  /** Validates a document: the schema first, then the catalogue. */
  async check(raw: unknown, pathCode?: string): Promise<Dashboard> {
    const claimed = claimedCode(raw);
    if (pathCode !== undefined && claimed !== null && claimed !== pathCode) {
      throw refusedDashboard([{ path: 'code', panel: null, reason: 'code_does_not_match_path', message: `the document is ${claimed} but the path names ${pathCode}` }]);
    }
    const parsed = parseBoard(dashboardSchema, raw);
    if (!parsed.ok) throw refusedDashboard(parsed.issues);
    const known = new Set((await new IndicatorsRepository(this.ctx.store.db).all()).map((d) => d.code));
    const unknown = dashboardIndicators(parsed.value).filter((r) => !known.has(r.indicator));
    if (unknown.length > 0) {
      throw refusedDashboard(unknown.map((u) => ({ path: u.path, panel: u.panel, reason: 'unknown_indicator', message: `no indicator has code ${u.indicator}` })));
    }
    return parsed.value;
  }

  async put(code: string, raw: unknown): Promise<{ created: boolean; dashboard: Dashboard }> {
    const dashboard = await this.check(raw, code);
    const created = await this.repo().dashboards.put(code, dashboard, this.now());
    this.announce('dashboard', code);
    return { created, dashboard };
  }

  /** An exported file or a bare document; the code inside says where it goes. */
  async import(raw: unknown): Promise<{ created: boolean; dashboard: Dashboard }> {
    const body = typeof raw === 'object' && raw !== null && 'dashboard' in raw && (raw as { format?: unknown }).format === DASHBOARD_FILE_FORMAT ? (raw as { dashboard: unknown }).dashboard : raw;
    const dashboard = await this.check(body);
    const created = await this.repo().dashboards.put(dashboard.code, dashboard, this.now());
    this.announce('dashboard', dashboard.code);
    return { created, dashboard };
  }

  async exportFile(code: string, scope: DataScope): Promise<{ filename: string; file: DashboardFile }> {
    const dashboard = await this.get(code, scope);
    return {
      filename: `watchfloor-dashboard-${code}-${todayIn(this.ctx.clock)}.json`,
      file: { format: DASHBOARD_FILE_FORMAT, version: DASHBOARD_VERSION, exportedAt: this.now(), dashboard },
    };
  }

  /** Deletes a dashboard no playlist shows; one still shown is `dashboard_in_use`, naming the playlists. */
  async delete(code: string): Promise<void> {
    const repo = this.repo();
    const users = (await repo.playlists.list()).filter((p) => p.document.items.some((i) => i.dashboard === code)).map((p) => p.document.code);
    if (users.length > 0) throw new AppError('dashboard_in_use', `Dashboard ${code} is shown by playlist(s) ${users.join(', ')}: take it out of them first`, { playlists: users });
    if (!(await repo.dashboards.delete(code))) throw new AppError('unknown_dashboard', `No dashboard has code ${code}`);
    this.announce('dashboard', code);
  }

  async listPlaylists(): Promise<PlaylistSummary[]> {
    return (await this.repo().playlists.list()).map((b) => ({
      code: b.document.code,
      title: b.document.title,
      dashboards: b.document.items.length,
      demo: b.document.demo,
      updatedAt: b.updatedAt,
    }));
  }

  async getPlaylist(code: string): Promise<Playlist> {
    const b = await this.repo().playlists.get(code);
    if (!b) throw new AppError('unknown_playlist', `No playlist has code ${code}`);
    return b.document;
  }

  async putPlaylist(code: string, raw: unknown): Promise<{ created: boolean; playlist: Playlist }> {
    const claimed = claimedCode(raw);
    if (claimed !== null && claimed !== code) {
      throw refusedPlaylist([{ path: 'code', panel: null, reason: 'code_does_not_match_path', message: `the document is ${claimed} but the path names ${code}` }]);
    }
    const parsed = parseBoard(playlistSchema, raw);
    if (!parsed.ok) throw refusedPlaylist(parsed.issues);
    const repo = this.repo();
    const known = new Set((await repo.dashboards.list()).map((b) => b.document.code));
    const missing = parsed.value.items.flatMap((item, i) =>
      known.has(item.dashboard) ? [] : [{ path: `items.${i}.dashboard`, panel: null, reason: 'unknown_dashboard', message: `no dashboard has code ${item.dashboard}` }],
    );
    if (missing.length > 0) throw refusedPlaylist(missing);
    const created = await repo.playlists.put(code, parsed.value, this.now());
    this.announce('playlist', code);
    return { created, playlist: parsed.value };
  }

  private announce(kind: 'dashboard' | 'playlist', code: string): void {
    this.ctx.live?.publish({ type: 'dashboard.changed', kind, code });
  }

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }
}
