import { z } from 'zod';

/**
 * Coded errors. Every error a client can see has a stable machine-readable
 * `code` (snake_case) and an HTTP status; the message is for people.
 * Anything that is not an AppError is turned into `internal_error` by the
 * server's one error handler, so no stack trace ever leaves the process.
 */
export const ERROR_STATUS = {
  invalid_parameter: 400,
  invalid_body: 400,
  not_found: 404,
  unknown_place_code: 404,
  place_not_valid_at_date: 404,
  no_geometry: 404,
  no_place_at_point: 404,
  unknown_organisation_code: 404,
  unknown_indicator: 404,
  invalid_indicator_definition: 400,
  unknown_source: 404,
  source_exists: 409,
  source_disabled: 409,
  invalid_token: 401,
  unsupported_encoding: 415,
  encoding_mismatch: 415,
  not_a_spreadsheet: 415,
  empty_file: 400,
  missing_columns: 400,
  period_not_found: 400,
  file_too_large: 413,
  too_many_rows: 413,
  archive_too_large: 413,
  too_many_entries: 413,
  secret_key_not_configured: 503,
  ingestion_failed: 500,
  body_too_large: 413,
  unsupported_media_type: 415,
  database_unavailable: 503,
  not_ready: 503,
  unknown_case: 404,
  unknown_case_category: 404,
  unknown_sop_step: 404,
  invalid_transition: 409,
  sop_step_done: 409,
  case_not_finished: 409,
  outside_jurisdiction: 400,
  source_not_pullable: 409,
  source_unreachable: 502,
  source_timeout: 504,
  source_bad_answer: 502,
  outbound_not_allowed: 403,
  invalid_pull_config: 400,
  pull_in_progress: 409,
  credentials_unreadable: 500,
  server_stopped: 503,
  unknown_station: 404,
  station_exists: 409,
  unknown_datastream: 404,
  station_outside_boundaries: 400,
  unknown_alert_rule: 404,
  unknown_alert: 404,
  invalid_cap: 400,
  invalid_alert_rule: 400,
  no_sop: 409,
  sop_started: 409,
  unknown_dashboard: 404,
  invalid_dashboard: 400,
  dashboard_in_use: 409,
  unknown_playlist: 404,
  invalid_playlist: 400,
  source_not_manual: 409,
  unknown_par_framework: 404,
  invalid_par_framework: 400,
  par_framework_exists: 409,
  par_framework_in_use: 409,
  unknown_par_cycle: 404,
  par_cycle_exists: 409,
  par_cycle_published: 409,
  par_cycle_not_decided: 409,
  unknown_par_unit: 404,
  unknown_par_criterion: 404,
  par_step_not_allowed: 409,
  par_window_closed: 409,
  par_points_out_of_range: 400,
  par_points_not_assessed: 400,
  par_reason_required: 400,
  par_evidence_required: 409,
  directive_actor_not_allowed: 403,
  directive_task_closed: 409,
  directive_awaiting_confirmation: 409,
  directive_no_done_report: 409,
  directive_no_deadline: 409,
  directive_extension_pending: 409,
  directive_no_extension_request: 409,
  directive_deadline_not_later: 400,
  unknown_directive_document: 404,
  unknown_directive_task: 404,
  unknown_directive_occurrence: 404,
  invalid_directive_document: 400,
  directive_file_not_pdf: 415,
  unknown_directive_file: 404,
  directive_report_settled: 409,
  evidence_type_not_allowed: 415,
  unknown_evidence: 404,
  unknown_report_template: 404,
  unknown_report_schedule: 404,
  unknown_report_rendering: 404,
  invalid_report_template: 400,
  pdf_unavailable: 503,
  invalid_session: 401,
  invalid_credentials: 401,
  authentication_required: 401,
  csrf_failed: 403,
  forbidden: 403,
  password_change_required: 403,
  token_above_maker: 403,
  too_many_attempts: 429,
  rate_limited: 429,
  unknown_user: 404,
  user_exists: 409,
  unknown_api_token: 404,
  oidc_not_configured: 404,
  oidc_unknown_user: 403,
  oidc_failed: 400,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Every error code, as a schema (a failed run's `errorCode`, the error envelope's `error`). */
export const errorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  details?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = details;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { error: this.code, message: this.message }
      : { error: this.code, message: this.message, details: this.details };
  }
}

/** An error in a data file, naming the file and the line (1-based) where it was found. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    reason: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${reason}`);
    this.name = 'DataFileError';
  }
}
