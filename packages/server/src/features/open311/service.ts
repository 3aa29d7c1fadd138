import { ALL_DATA, AppError, CASE_LIMITS, CASE_STATUSES, isFinished, isMediaUrl, publicCoordinates, type CaseCategory, type CaseStatus, type open311Api } from '@watchfloor/core';
import type { CaseRecord } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { CasesService, statusOf, type CaseActor } from '../cases/service';
import { sameSecret } from '../../http/secrets';

/**
 * Open311 is public by design: any reporter may open a case, and it lists
 * what citizens reported themselves in categories marked public (never a
 * case staff opened, never a reporter's contact: `toRequests` is the one
 * shape it answers, with a sensitive category's location blurred).
 */
const PUBLIC_CHANNEL: CaseActor = { read: ALL_DATA, handle: ALL_DATA };

/**
 * Open311 GeoReport v2 over cases: services are case categories, requests
 * are cases. The extended workflow maps onto Open311's open/closed;
 * `expected_datetime` is the deadline, `agency_responsible` the agency.
 */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** Open311's own error list: the description starts with our stable code. */
  toBody(): { code: number; description: string }[] {
    return [{ code: this.status, description: `${this.code}: ${this.message}` }];
  }
}

/** The GeoReport v2 request, as GET answers it; a service, as services lists it (their schemas: core contracts/open311.ts). */
type Open311Request = open311Api.Open311Request;
type Open311Service = open311Api.Open311Service;

const STATUS_NOTES_VI: Record<CaseStatus, string> = {
  new: 'Mới gửi',
  received: 'Đã tiếp nhận',
  assigned: 'Đã chuyển cơ quan xử lý',
  in_progress: 'Đang xử lý',
  resolved: 'Đã xử lý xong',
  closed: 'Đã đóng',
  rejected: 'Không thụ lý',
  reopened: 'Mở lại',
};

/** Instants as Open311 writes them: ISO 8601 with Vietnam's offset. */
export function vietnamDateTime(instant: string): string {
  const shifted = new Date(Date.parse(instant) + 7 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}+07:00`;
}

/** Open311 accepts any ISO 8601 instant; a date alone is the start of that day in Vietnam. */
function parseInstant(name: string, value: string): string {
  const withZone = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+07:00` : value;
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(withZone) ? Date.parse(withZone) : NaN;
  if (Number.isNaN(t)) throw new Open311Error(400, 'invalid_parameter', `${name} must be an ISO 8601 date-time, e.g. 2026-11-28T10:00:00+07:00`);
  return new Date(t).toISOString();
}

const OPEN311_MAX = { ...CASE_LIMITS, name: 100, email: 200, phone: 50, id: 200 } as const;

export type Open311Fields = Record<string, string>;

export class Open311Gateway {
  readonly cases: CasesService;

  constructor(private readonly ctx: AppContext) {
    this.cases = new CasesService(ctx);
  }

  async services(): Promise<Open311Service[]> {
    return (await this.cases.categories()).map(toService);
  }

  async service(code: string): Promise<CaseCategory> {
    return this.cases.category(code).catch((e: unknown) => {
      throw e instanceof AppError ? new Open311Error(404, e.code, e.message) : e;
    });
  }

  /** GET requests with the standard filters; without dates, the last 90 days; at most 1,000. */
  async requests(q: Open311Fields): Promise<Open311Request[]> {
    const ids = q.service_request_id ? split(q.service_request_id) : undefined;
    // service_request_id overrides every other filter (GeoReport v2).
    if (ids) return this.toRequests(await this.cases.records({ ids, publishedOnly: true, limit: 1000 }, PUBLIC_CHANNEL.read));
    const statuses = q.status ? split(q.status) : [];
    for (const s of statuses) if (s !== 'open' && s !== 'closed') throw new Open311Error(400, 'invalid_parameter', `status must be open or closed (comma-separated), not ${s}`);
    const end = q.end_date ? parseInstant('end_date', q.end_date) : undefined;
    let start = q.start_date ? parseInstant('start_date', q.start_date) : undefined;
    if (!start && !end) start = new Date(this.ctx.clock.now().getTime() - 90 * 86_400_000).toISOString();
    const wantedStatuses = statuses.length === 1 ? CASE_STATUSES.filter((s) => isFinished(s) === (statuses[0] === 'closed')) : undefined;
    const records = await this.cases.records({
      categories: q.service_code ? split(q.service_code) : undefined,
      statuses: wantedStatuses,
      receivedFrom: start,
      receivedTo: end,
      publishedOnly: true,
      limit: 1000,
    }, PUBLIC_CHANNEL.read);
    return this.toRequests(records);
  }

  /** One request; a case Open311 may not list answers as an unknown id does. */
  async request(id: string): Promise<Open311Request> {
    const [out] = await this.toRequests(await this.cases.records({ ids: [id], publishedOnly: true, limit: 1 }, PUBLIC_CHANNEL.read));
    if (!out) throw new Open311Error(404, 'unknown_case', `No case has id ${id}`);
    return out;
  }

  async token(token: string): Promise<{ service_request_id: string; token: string }> {
    const r = await this.cases.byToken(token, PUBLIC_CHANNEL.read).catch((e: unknown) => {
      throw e instanceof AppError ? new Open311Error(404, e.code, 'No request has this token') : e;
    });
    return { service_request_id: r.publicId, token };
  }

  /** Checks the api_key against the configured ones, in constant time. */
  checkApiKey(key: string | undefined): void {
    const keys = this.ctx.config.open311ApiKeys;
    if (keys.length === 0) throw new Open311Error(403, 'open311_disabled', 'This server accepts no Open311 reports: no api_key is configured');
    if (!key) throw new Open311Error(403, 'invalid_api_key', "No api_key received -- can't proceed with create_request.");
    const ok = keys.some((k) => sameSecret(k, key));
    if (!ok) throw new Open311Error(403, 'invalid_api_key', "Invalid api_key received -- can't proceed with create_request.");
  }

  /** POST requests: validates every field, then creates a case through the one case path. */
  async create(f: Open311Fields): Promise<open311Api.Open311Created> {
    this.checkApiKey(f.api_key);
    if (!f.service_code) throw new Open311Error(400, 'missing_field', 'service_code is required');
    const categories = await this.cases.categories();
    const category = categories.find((c) => c.code === f.service_code);
    if (!category) throw new Open311Error(400, 'unknown_service_code', `No service has code ${f.service_code}; see services.json`);
    if (f.lat === undefined || f.long === undefined || f.lat === '' || f.long === '') {
      throw new Open311Error(400, 'missing_field', 'lat and long are required: a report is located to its commune');
    }
    const lat = coordinate('lat', f.lat, 90);
    const lon = coordinate('long', f.long, 180);
    const limits: [string, number][] = [
      ['description', OPEN311_MAX.description],
      ['address_string', OPEN311_MAX.address],
      ['media_url', OPEN311_MAX.mediaUrl],
      ['first_name', OPEN311_MAX.name],
      ['last_name', OPEN311_MAX.name],
      ['email', OPEN311_MAX.email],
      ['phone', OPEN311_MAX.phone],
      ['device_id', OPEN311_MAX.id],
      ['account_id', OPEN311_MAX.id],
      ['address_id', OPEN311_MAX.id],
    ];
    for (const [name, max] of limits) {
      const v = f[name];
      if (v !== undefined && [...v].length > max) throw new Open311Error(400, 'text_too_long', `${name} is longer than ${max} characters`);
    }
    if (f.media_url && !isMediaUrl(f.media_url)) throw new Open311Error(400, 'invalid_parameter', 'media_url must be an http(s) URL');
    if (f.email && !/^[^\s@]+@[^\s@]+$/.test(f.email)) throw new Open311Error(400, 'invalid_parameter', 'email is not an e-mail address');
    const name = [f.first_name, f.last_name].filter((x) => x).join(' ');
    const reporter = {
      ...(name ? { name } : {}),
      ...(f.email ? { email: f.email } : {}),
      ...(f.phone ? { phone: f.phone } : {}),
      ...(f.device_id ? { deviceId: f.device_id } : {}),
      ...(f.account_id ? { accountId: f.account_id } : {}),
    };
    const description = f.description?.trim() || null;
    const firstLine = (description ?? '').split('\n')[0] ?? '';
    const title = firstLine.slice(0, CASE_LIMITS.title).trim() || category.names.vi;
    const created = await this.cases
      .create({
        category: category.code,
        title,
        description,
        lat,
        lon,
        address: f.address_string?.trim() || null,
        media: f.media_url ? [f.media_url] : [],
        reporter,
        channel: 'app',
        priority: 'normal',
      }, PUBLIC_CHANNEL)
      .catch((e: unknown) => {
        throw e instanceof AppError ? new Open311Error(e.status === 404 ? 400 : e.status, e.code, e.message) : e;
      });
    const record = await this.cases.get(created.id, PUBLIC_CHANNEL.read);
    return {
      service_request_id: record.publicId,
      token: record.token,
      service_notice: `Phản ánh đã được ghi nhận, hạn xử lý ${vietnamDateTime(record.deadlineAt)}${created.organisationName ? `, cơ quan xử lý: ${created.organisationName}` : ''}.`,
      account_id: f.account_id ?? null,
    };
  }

  private async toRequests(records: readonly CaseRecord[]): Promise<Open311Request[]> {
    const categories = new Map((await this.cases.categories()).map((c) => [c.code, c]));
    const names = await this.cases.organisationNames(records);
    return records.map((r) => {
      const status = statusOf(r);
      const sensitive = categories.get(r.categoryCode)?.sensitive ?? true;
      const { lat, lon } = publicCoordinates(r, sensitive);
      return {
        service_request_id: r.publicId,
        status: isFinished(status) ? 'closed' : 'open',
        status_notes: STATUS_NOTES_VI[status],
        service_name: categories.get(r.categoryCode)?.names.vi ?? null,
        service_code: r.categoryCode,
        description: r.description,
        agency_responsible: r.orgCode ? (names.get(r.orgCode) ?? r.orgCode) : null,
        service_notice: null,
        requested_datetime: vietnamDateTime(r.receivedAt),
        updated_datetime: vietnamDateTime(r.updatedAt),
        expected_datetime: vietnamDateTime(r.deadlineAt),
        // A street address would undo the rounding of a sensitive category's coordinates.
        address: sensitive ? null : r.address,
        address_id: null,
        zipcode: null,
        lat,
        long: lon,
        // Links stored before media were checked are never served: a citizen's app may open them.
        media_url: r.media.find(isMediaUrl) ?? null,
      };
    });
  }
}

function toService(c: CaseCategory): Open311Service {
  return { service_code: c.code, service_name: c.names.vi, description: c.description, metadata: false, type: 'realtime', keywords: c.keywords.join(', '), group: c.group };
}

function split(v: string): string[] {
  return v
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x);
}

function coordinate(name: string, text: string, bound: number): number {
  const v = /^[+-]?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(v) || Math.abs(v) > bound) throw new Open311Error(400, 'invalid_coordinates', `${name} must be a decimal number between -${bound} and ${bound}, not ${JSON.stringify(text.slice(0, 40))}`);
  return v;
}
