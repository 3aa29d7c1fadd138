import type { Generated } from 'kysely';

/**
 * The database as Kysely sees it. Column names are snake_case; calendar
 * dates are 'YYYY-MM-DD' strings on both engines (text in SQLite, date in
 * PostgreSQL, read back as text); instants are ISO-8601 UTC strings.
 *
 * Validity intervals are stored closed at both ends with sentinels for the
 * open ends (OPEN_START / OPEN_END in ./validity), so "valid on D" is a plain
 * range test that an index serves; the repositories turn the sentinels back
 * into null before anything leaves the data layer.
 */
export interface PlaceTable {
  id: Generated<number>;
  code: string;
  level: string;
  name: string;
  name_en: string | null;
  parent_code: string | null;
  valid_from: string;
  valid_to: string;
  area_km2: number | null;
  source: string | null;
}

export interface PlaceGeometryTable {
  place_id: number;
  geojson: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  source: string | null;
}

export interface PlaceLineageTable {
  id: Generated<number>;
  from_place_id: number;
  to_place_id: number;
  kind: string;
  part: string;
  share: number | null;
  effective_date: string;
  legal_ref: string | null;
}

export interface OrganisationTable {
  id: Generated<number>;
  code: string;
  name: string;
  name_en: string | null;
  kind: string;
  parent_code: string | null;
  place_code: string | null;
  valid_from: string;
  valid_to: string;
  demo: number;
}

export interface OrganisationLineageTable {
  id: Generated<number>;
  from_org_id: number;
  to_org_id: number;
  effective_date: string;
  legal_ref: string | null;
}

/** What reference data set was loaded, when, with what checksum: the basis of idempotent loading and `watchfloor status`. */
export interface DatasetTable {
  name: string;
  checksum: string;
  loaded_at: string;
  summary: string;
}

export interface IndicatorTable {
  code: string;
  kind: string;
  domain: string;
  frequency: string;
  unit: string;
  name_vi: string;
  name_en: string;
  owner_org_code: string | null;
  /** The whole validated definition, JSON (jsonb in PostgreSQL, text in SQLite). */
  definition: unknown;
  updated_at: string;
}

/** Per indicator: when data last arrived, from which source, up to which period (moved on by the write path). */
export interface IndicatorArrivalTable {
  indicator_code: string;
  last_recorded_at: string;
  last_source: string;
  last_period_end: string;
}

export interface ObservationTable {
  id: Generated<number>;
  indicator_code: string;
  /** The place version valid during the period: facts keep the place of their time. */
  place_id: number;
  place_code: string;
  period_key: string;
  period_kind: string;
  period_start: string;
  period_end: string;
  /** '' when the figure is not broken down by organisation. */
  org_code: string;
  value: number;
  status: string;
  source: string;
  run_id: number | null;
  entered_by: string | null;
  note: string | null;
  revision: number;
  recorded_at: string;
}

export interface ObservationRevisionTable {
  id: Generated<number>;
  observation_id: number;
  revision: number;
  value: number;
  status: string;
  source: string;
  run_id: number | null;
  entered_by: string | null;
  note: string | null;
  recorded_at: string;
}

export interface TargetTable {
  id: Generated<number>;
  indicator_code: string;
  place_id: number;
  place_code: string;
  period_key: string;
  value: number;
  source: string;
  updated_at: string;
}

/** Every place's ancestors: its own hierarchy (share 1) and, through lineage, the later units it became (with the share that moved). Includes the place itself. */
export interface PlaceAncestryTable {
  place_id: number;
  ancestor_id: number;
  share: number;
  via_lineage: number;
}

/**
 * Pre-aggregated observations per indicator × place × stored period (a
 * day's month, or the fact's own month, quarter or year) × level of the
 * contributing facts; wider periods are composed from these on read. Every statistic is weighted by the share with which a
 * fact's place belongs to the place (1 within its own hierarchy, less after
 * a partial merge), so means and sums regroup alike.
 */
export interface ObservationRollupTable {
  indicator_code: string;
  place_id: number;
  period_key: string;
  level: string;
  sum: number;
  weight: number;
  min: number;
  max: number;
  last_end: string;
  last_sum: number;
  last_weight: number;
  /** Contributions that were estimated or came through a partial merge. */
  estimated: number;
  /** Contributions whose fact is provisional (số sơ bộ), not yet final. */
  provisional: Generated<number>;
  /** How many facts contributed. */
  facts: number;
  latest_recorded_at: string;
}

/**
 * How many units of a level under a place reported an indicator for a
 * stored period: the units of that level under it (place_ancestry, the
 * place itself too) valid on the period's last day that have a rollup row
 * of their own at their own level. Beside the rollup, kept by the same
 * writes; the count of a figure's coverage. No row: none reported.
 */
export interface ObservationRollupUnitsTable {
  place_id: number;
  period_key: string;
  indicator_code: string;
  level: string;
  units: number;
}

/** A connected system or upload channel (nguồn dữ liệu), with its owner and when its data is due. */
export interface SourceTable {
  code: string;
  name: string;
  kind: string;
  owner_org_code: string;
  /** When a pull runs: an ISO-8601 duration or a cron expression. */
  schedule: string | null;
  /** When data is due (JSON): per period with a delay, or at most this long apart. */
  expected: unknown;
  /** How the source's rows map onto observations (JSON). */
  mapping: unknown;
  /** AES-256-GCM ciphertext of the credentials, written and read only by the server. */
  credentials_enc: string | null;
  /** SHA-256 (hex) of the push token; the token itself is shown once and never stored. */
  token_hash: string | null;
  enabled: number;
  last_arrival_at: string | null;
  /** The latest period end among the figures the source delivered. */
  last_period_end: string | null;
  created_at: string;
  updated_at: string;
  /** Pull sources: how they are read (JSON; secrets only as {{credentials.NAME}}). */
  pull: unknown;
  /** What the source may report for (JSON `{ places?, organisations? }`); null: its owner's place and organisation subtrees. */
  coverage: unknown;
}

/** One ingestion from a source (lần đồng bộ). */
export interface RunTable {
  id: Generated<number>;
  source_code: string;
  channel: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  rows_read: Generated<number>;
  rows_accepted: Generated<number>;
  rows_rejected: Generated<number>;
  rows_created: Generated<number>;
  rows_revised: Generated<number>;
  rows_unchanged: Generated<number>;
  file_name: string | null;
  error: string | null;
  /** Where the last committed batch ended (JSON), to resume from. */
  checkpoint: unknown;
  /** When the process running it last said it was alive; a stale one means the server stopped. */
  heartbeat_at: Generated<string | null>;
  /** The server instance that runs it. */
  instance: Generated<string | null>;
  /** The coded error of a failed run. */
  error_code: Generated<string | null>;
  /** Who typed the figures, for manual entry. */
  entered_by: Generated<string | null>;
  /** What the run found doubtful without refusing a row (JSON list), e.g. a total row that differs from the sum of the rows. */
  warnings: Generated<string | null>;
}

/** A row a run refused, as received, with its coded reason and line. */
export interface RejectedRowTable {
  id: Generated<number>;
  run_id: number;
  row_index: number;
  line: number | null;
  reason: string;
  message: string;
  raw: string;
  /** The row as read (JSON text), when it could be read. */
  row_json: string | null;
}

/** A case category (lĩnh vực phản ánh): service level, routing and procedure. JSON columns are text in SQLite. */
export interface CaseCategoryTable {
  code: string;
  name_vi: string;
  name_en: string;
  description: string | null;
  /** Open311 `group`. */
  group_name: string;
  keywords: unknown;
  service_level_hours: number;
  /** May hold `{commune}`: the commune's People's Committee. */
  default_org_code: string;
  /** Routing rules per place (JSON array of { place, organisation }). */
  routes: unknown;
  /** The procedure (JSON array of { title, role, expectedMinutes }). */
  sop: unknown;
  active: Generated<number>;
  /** Citizens' reports of the category are listed on Open311 (1, the default). */
  public: Generated<number>;
  /** On Open311, coordinates rounded to about 100 m and the address withheld (0 by default). */
  sensitive: Generated<number>;
  updated_at: string;
}

/** One case (tình huống, phản ánh). `reporter` is private: it never leaves the data layer in an answer. */
export interface CaseTable {
  id: Generated<number>;
  public_id: string;
  /** The secret a reporter follows the case with (Open311 tokens). */
  token: string;
  category_code: string;
  title: string;
  description: string | null;
  lat: number;
  lon: number;
  /** The place version (commune when known) valid when the case was received. */
  place_id: number | null;
  place_code: string | null;
  province_code: string | null;
  address: string | null;
  media: unknown;
  reporter: unknown;
  channel: string;
  priority: string;
  org_code: string | null;
  status: string;
  received_at: string;
  deadline_at: string;
  satisfaction: number | null;
  created_at: string;
  updated_at: string;
}

/** The timeline of a case: every change and comment, who and when, before and after. */
export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  at: string;
  actor: string;
  kind: string;
  before_value: string | null;
  after_value: string | null;
  note: string | null;
}

/** A step of the procedure (SOP) followed on a case or on an alert: exactly one of `case_id` and `alert_id` is set. */
export interface SopStepTable {
  id: Generated<number>;
  case_id: number | null;
  alert_id: number | null;
  step: number;
  title: string;
  role: string;
  expected_minutes: number;
  done_at: string | null;
  done_by: string | null;
}

/** A public-service dossier (hồ sơ TTHC), keyed by its own code. */
export interface DossierTable {
  id: Generated<number>;
  code: string;
  procedure_code: string;
  procedure_name: string | null;
  org_code: string;
  /** The place version valid when the dossier was received. */
  place_id: number | null;
  place_code: string | null;
  province_code: string | null;
  received_at: string;
  due_at: string;
  resolved_at: string | null;
  /** 'online' or 'offline'. */
  channel: string;
  paid_online: number;
  updated_at: string;
}

/** A dossier total an agency reported for a unit and month (one Decision 766 measure), counted where the cell has no dossier record. */
export interface DossierTotalTable {
  id: Generated<number>;
  org_code: string;
  place_id: number;
  place_code: string;
  province_code: string | null;
  /** The month, YYYY-MM. */
  period_key: string;
  /** The PS_DOSSIER_* indicator the count is. */
  indicator_code: string;
  value: number;
  source: string;
  run_id: number | null;
  updated_at: string;
}

/** A dashboard or a playlist of the video wall, stored whole (JSON: jsonb in PostgreSQL, text in SQLite). */
export interface BoardDocumentTable {
  code: string;
  document: unknown;
  created_at: string;
  updated_at: string;
}

/** A report sent on a schedule: its document and when it next runs. */
export interface ReportScheduleTable {
  code: string;
  document: unknown;
  next_run_at: string | null;
  created_at: string;
  updated_at: string;
  /** Who saved it (JSON: login and roles); null before owners were kept. */
  owner: unknown;
}

/** One rendering of a scheduled report, kept: one per schedule and period. */
export interface ReportRenderingTable {
  id: Generated<number>;
  schedule_code: string;
  template_code: string;
  period_key: string;
  format: string;
  rendered_at: string;
  sha256: string;
  size: number;
  content: Buffer;
  /** report | export */
  kind: Generated<string>;
  /** Why the run made no file (then content is empty); null when it did. */
  error: string | null;
}

/** A rendering's delivery to one recipient, with its attempts. */
export interface ReportDeliveryTable {
  id: Generated<number>;
  rendering_id: number;
  address: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  last_error: string | null;
  updated_at: string;
  sent_at: string | null;
}

/** The schedule and progress of a pulled source. */
export interface JobTable {
  source_code: string;
  next_run_at: string | null;
  /** Failed pulls in a row; 0 after a success. */
  attempts: Generated<number>;
  last_error: string | null;
  last_run_id: number | null;
  /** The cursor of the last committed batch: where the next pull starts. */
  cursor: string | null;
  updated_at: string;
}

/** One change, appended and never altered (triggers refuse UPDATE and DELETE). */
export interface AuditEventTable {
  id: Generated<number>;
  at: string;
  actor: string;
  address: string | null;
  action: string;
  entity_kind: string;
  entity_key: string;
  before: unknown;
  after: unknown;
}

/** A named right held by one server instance until it expires. */
export interface LeaseTable {
  name: string;
  owner: string;
  until: string;
  acquired_at: string;
}

/** A sensor station, located when registered (the place version and its province). */
export interface StationTable {
  id: Generated<number>;
  code: string;
  name: string;
  lon: number;
  lat: number;
  place_id: number | null;
  place_code: string | null;
  province_code: string | null;
  source_code: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/** What a station measures: one indicator, in the datastream's unit (times `scale` into the indicator's). */
export interface DatastreamTable {
  id: Generated<number>;
  station_id: number;
  code: string;
  indicator_code: string;
  unit: string;
  scale: number | null;
  /** The valid range in the datastream unit; both null: the indicator's. */
  valid_min: number | null;
  valid_max: number | null;
  /** The share of a day's hours a daily mean needs; null: the default (0.75). */
  min_share: number | null;
  /** 'omit' | 'estimated': what a day short of it gets. */
  incomplete_days: Generated<string>;
}

/** One reading, keyed by datastream and instant. */
export interface ReadingTable {
  datastream_id: number;
  at: string;
  value: number;
}

/** An alert rule: what it watches (subject, JSON), its parameters, severity, escalation table, webhook and procedure. */
export interface AlertRuleTable {
  code: string;
  name_vi: string;
  name_en: string;
  kind: string;
  subject: unknown;
  parameters: unknown;
  severity: string;
  escalation: unknown;
  webhook: string | null;
  sop: unknown;
  /** Alerts of this rule are public (published in the CAP feed) from the start. */
  public: Generated<number>;
  enabled: Generated<number>;
  demo: Generated<number>;
  /** The place the rule is about (its subject's place, or its datastream's station's), for scoping. */
  place_code: Generated<string | null>;
  /** The agency the rule is about (its subject's agency, or its source's owner), for scoping. */
  org_code: Generated<string | null>;
  created_at: string;
  updated_at: string;
}

/** An alert: at most one unresolved per rule × subject (partial unique index). */
export interface AlertTable {
  id: Generated<number>;
  /** `rule` (raised by a rule) or `cap` (imported from a CAP message; no rule). */
  origin: Generated<string>;
  rule_code: string | null;
  subject_key: string;
  place_code: string | null;
  org_code: string | null;
  severity: string;
  status: string;
  opened_at: string;
  value: number | null;
  message: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  auto_resolved: Generated<number>;
  escalation_level: Generated<number>;
  sop_started_at: string | null;
  /** Published in the CAP feed. */
  public: Generated<number>;
  published_at: string | null;
  /** When it stops being in force (CAP `expires`); resolved on the alerts tick. */
  expires_at: string | null;
  updated_at: string;
}

/** The timeline of an alert. */
export interface AlertEventTable {
  id: Generated<number>;
  alert_id: number;
  at: string;
  actor: string;
  kind: string;
  value: number | null;
  note: string | null;
}

/** What a rule last saw of a subject (a reading's time and value), for rates and silence. */
export interface AlertSubjectTable {
  /** Always `rule` (the default): created alongside alert.origin, never written since. */
  origin: Generated<string>;
  rule_code: string;
  subject_key: string;
  place_code: string | null;
  last_at: string;
  last_value: number | null;
}

/** A notification of an alert and its delivery attempts. */
export interface NotificationTable {
  id: Generated<number>;
  alert_id: number;
  channel: string;
  target: string;
  payload: unknown;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  status: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** A CAP 1.2 message received from another agency, as received and as read, with its areas mapped to places. */
export interface CapMessageTable {
  id: Generated<number>;
  sender: string;
  identifier: string;
  /** As written in the document, with its offset: part of CAP's key. */
  sent: string;
  sent_at: string;
  status: string;
  msg_type: string;
  scope: string;
  /** Ours: info, warning, critical. */
  severity: string;
  expires_at: string | null;
  document: unknown;
  xml: string;
  areas: unknown;
  received_at: string;
  replaced_by: number | null;
  cancelled_at: string | null;
  /** The alert this message raised, updated or cancelled. */
  alert_id: number | null;
}

/** A place version a CAP message covers. */
export interface CapMessagePlaceTable {
  message_id: number;
  place_id: number;
  place_code: string;
}

/** A person who signs in. `login` is stored lowercased; `password_hash` is an argon2id PHC string. */
export interface AppUserTable {
  id: Generated<number>;
  login: string;
  display_name: string;
  password_hash: string;
  disabled: Generated<number>;
  must_change_password: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** A role a user holds over a scope (an organisation subtree and/or a place subtree; neither: everywhere). */
export interface UserRoleTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  org_code: string | null;
  place_code: string | null;
}

/** A signed-in session; `id` is the SHA-256 (hex) of the cookie's token, never the token. */
export interface SessionTable {
  id: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  csrf_secret: string;
}

/** An API token for a source or an integration: only its SHA-256 is kept; roles are JSON grants. */
export interface ApiTokenTable {
  id: Generated<number>;
  token_hash: string;
  name: string;
  user_id: number | null;
  source_code: string | null;
  roles: unknown;
  created_by: string | null;
  /** The person who made the token (directly or through a token of theirs); null: the system. Its rights stay within this user's current roles. */
  maker_user_id: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Failed sign-ins of one key (`account:<login>` or `address:<ip>`) in the window that began at `window_start`. */
export interface SignInAttemptTable {
  key: string;
  window_start: string;
  failures: number;
}

/** A PAR Index framework (the tree a decision issues for a year), stored whole (JSON) by its code. */
export interface ParFrameworkTable {
  code: string;
  year: number;
  document: unknown;
  /** 1: an example built for the demo, not a real decision. */
  example: Generated<number>;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** A year's assessment cycle, opened on one framework with its deadlines (dates in Vietnam). */
export interface ParCycleTable {
  id: Generated<number>;
  framework_code: string;
  year: number;
  self_assessment_due: string;
  appraisal_due: string;
  response_days: number;
  opened_at: string;
  opened_by: string | null;
  published_at: string | null;
  published_by: string | null;
}

/** One unit's assessment in a cycle: the unit as it was named then, its step, and who took each step when. */
export interface ParAssessmentTable {
  cycle_id: number;
  organisation_code: string;
  unit_name: string;
  unit_name_en: string | null;
  /** department | commune */
  unit_kind: string;
  place_code: string | null;
  /** draft | submitted | appraised | answered | final */
  status: string;
  submitted_at: string | null;
  submitted_by: string | null;
  /** The day (in Vietnam) the appraisal went back to the unit, opening its answer window. */
  returned_on: string | null;
  returned_at: string | null;
  returned_by: string | null;
  answered_at: string | null;
  answered_by: string | null;
  decided_at: string | null;
  decided_by: string | null;
}

/** One criterion of one unit's assessment: its points at each step (two decimals) and the words behind them. */
export interface ParScoreTable {
  cycle_id: number;
  organisation_code: string;
  node_code: string;
  self_points: number | null;
  note: string | null;
  computed_points: number | null;
  /** The figure computed points came from, with its sources (JSON). */
  computed_basis: unknown;
  dispute: string | null;
  appraised_points: number | null;
  appraisal_reason: string | null;
  response: string | null;
  final_points: number | null;
  final_reason: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** An evidence file attached to a criterion of a unit's self-assessment, stored with its SHA-256 (hex) and size. */
export interface ParEvidenceTable {
  id: Generated<number>;
  cycle_id: number;
  organisation_code: string;
  node_code: string;
  file_name: string;
  /** application/pdf | image/png | image/jpeg, as its content says. */
  media_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  uploaded_at: string;
  uploaded_by: string | null;
}

/** A leadership directive document (văn bản chỉ đạo), by its number and symbol; `number_key` is its normalised form, unique. */
export interface DirectiveDocumentTable {
  id: Generated<number>;
  number: string;
  number_key: string;
  date: string;
  issuer: string;
  signer: string;
  /** conclusion | directive | official_letter | plan | other */
  kind: string;
  summary: string;
  /** 1: a report of done counts once the leader's office confirms it. */
  confirm_done: Generated<number>;
  /** 1: shown to the public. */
  published: Generated<number>;
  /** 1: made up for the demo. */
  synthetic: Generated<number>;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** A task of a directive document, by its key within it, with its terms; its state is folded from its events, never stored. */
export interface DirectiveTaskTable {
  id: Generated<number>;
  document_id: number;
  key: string;
  text: string;
  /** The lead agency's organisation code: the one that reports, counted, and what scopes judge the task by. */
  lead: string;
  /** Co-operating agencies' codes (JSON array). */
  cooperating: unknown;
  /** The deadline, recurrence or regular (JSON, core's taskDeadlineSchema). */
  deadline: unknown;
  /** Places, indicators, cases and PAR criteria it concerns (JSON). */
  links: unknown;
  /** 1: held but not in the document as last sent. */
  missing: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** One event of a task (or of one occurrence of a recurring task), append only. */
export interface DirectiveTaskEventTable {
  id: Generated<number>;
  task_id: number;
  /** null for a task due once or regular; the period for a recurring one (2026-03, 2026-Q1, 2026). */
  occurrence: string | null;
  kind: string;
  at: string;
  by: string | null;
  /** lead_agency | office */
  actor: string;
  percent: number | null;
  text: string | null;
  until: string | null;
  reason: string | null;
}

/** A file of a directive document: its own PDF (no event) or evidence the lead agency attached to a report (its event), with SHA-256 (hex) and size. */
export interface DirectiveFileTable {
  id: Generated<number>;
  document_id: number;
  /** The report it is evidence of; null for the document's own file. */
  event_id: number | null;
  file_name: string;
  /** application/pdf | image/png | image/jpeg, as its content says. */
  media_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  uploaded_at: string;
  uploaded_by: string | null;
}

/** A person's wishes for the messages that reach them: channels, addresses, the least severity, quiet hours (Vietnam time, HH:MM). */
export interface MessagePreferenceTable {
  user_id: number;
  /** JSON array of channels: email, gateway. */
  channels: unknown;
  email: string | null;
  phone: string | null;
  zalo_id: string | null;
  min_severity: string | null;
  quiet_from: string | null;
  quiet_to: string | null;
  updated_at: string;
  /** JSON array of the topics told; null (set before topics were chosen): every topic. */
  topics: unknown;
  /** vi | en; null: vi. */
  language: string | null;
  /** 1: only the addresses and language are the person's; the rest follows their roles' defaults. */
  follow_role: number;
}

/** An administrator's defaults for everyone of a role who has not set their own. */
export interface MessageRolePreferenceTable {
  role: string;
  /** JSON array of channels. */
  channels: unknown;
  min_severity: string;
  /** JSON array of topics. */
  topics: unknown;
  quiet_from: string | null;
  quiet_to: string | null;
  updated_at: string;
}

/** A source event (a dossier's deadline, a source's lateness …) already turned into messages, so it is turned once. */
export interface MessageSourceTable {
  source_key: string;
  topic: string;
  at: string;
}

/** A message to one person on one channel, once per source event (`source_key`), with its delivery state and attempts. */
export interface UserMessageTable {
  id: Generated<number>;
  user_id: number;
  channel: string;
  address: string;
  topic: string;
  source_key: string;
  severity: string;
  subject: string;
  body: string;
  /** queued | held | sent | failed */
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

/** How far the message sender has read a stream of events (the alerts' timelines), by the last id read. */
export interface MessageCursorTable {
  name: string;
  last_id: number;
}

export interface Database {
  place: PlaceTable;
  place_geometry: PlaceGeometryTable;
  place_lineage: PlaceLineageTable;
  organisation: OrganisationTable;
  organisation_lineage: OrganisationLineageTable;
  dataset: DatasetTable;
  indicator: IndicatorTable;
  observation: ObservationTable;
  observation_revision: ObservationRevisionTable;
  target: TargetTable;
  place_ancestry: PlaceAncestryTable;
  observation_rollup: ObservationRollupTable;
  observation_rollup_units: ObservationRollupUnitsTable;
  indicator_arrival: IndicatorArrivalTable;
  source: SourceTable;
  run: RunTable;
  rejected_row: RejectedRowTable;
  case_category: CaseCategoryTable;
  case: CaseTable;
  case_event: CaseEventTable;
  sop_step: SopStepTable;
  dossier: DossierTable;
  dossier_total: DossierTotalTable;
  lease: LeaseTable;
  job: JobTable;
  dashboard: BoardDocumentTable;
  playlist: BoardDocumentTable;
  report_template: BoardDocumentTable;
  report_schedule: ReportScheduleTable;
  report_rendering: ReportRenderingTable;
  report_delivery: ReportDeliveryTable;
  station: StationTable;
  datastream: DatastreamTable;
  reading: ReadingTable;
  alert_rule: AlertRuleTable;
  alert: AlertTable;
  alert_event: AlertEventTable;
  alert_subject: AlertSubjectTable;
  notification: NotificationTable;
  cap_message: CapMessageTable;
  cap_message_place: CapMessagePlaceTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  sign_in_attempt: SignInAttemptTable;
  audit_event: AuditEventTable;
  par_framework: ParFrameworkTable;
  par_cycle: ParCycleTable;
  par_assessment: ParAssessmentTable;
  par_score: ParScoreTable;
  par_evidence: ParEvidenceTable;
  directive_document: DirectiveDocumentTable;
  directive_task: DirectiveTaskTable;
  directive_task_event: DirectiveTaskEventTable;
  directive_file: DirectiveFileTable;
  message_preference: MessagePreferenceTable;
  user_message: UserMessageTable;
  message_cursor: MessageCursorTable;
  message_role_preference: MessageRolePreferenceTable;
  message_source: MessageSourceTable;
}
