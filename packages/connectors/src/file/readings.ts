import { AppError, type RejectionReason } from '@watchfloor/core';
import { csvFileRecords } from './csv';
import { cutRaw } from '../rows';
import { bufferSource, DEFAULT_FILE_LIMITS, type FileLimits, type FileSource } from './source';
import { tooManyRows } from './table';

/**
 * Sensor exports as the U.S. Department of State's air quality programme
 * (AirNow DOS) publishes them: one hourly reading per line, local time,
 * columns Site, Parameter, Date (LT), Year, Month, Day, Hour, NowCast Conc.,
 * AQI, AQI Category, Raw Conc., Conc. Unit, Duration, QC Name. `-999` marks a
 * missing value; only rows whose QC Name is `Valid` carry a reading.
 */

export interface SensorFileRow {
  line: number;
  raw: string;
  /** A reading payload (station, datastream, at, value), as an MQTT message would carry it. */
  value?: { station: string; datastream: string; at: string; value: number | null };
  problem?: { reason: RejectionReason; message: string };
}

export interface SensorFileOptions {
  /** Site name → station code; a site not listed is taken as the station code itself. */
  stations?: Record<string, string> | undefined;
  /** Parameter → datastream code; a parameter not listed is taken as the datastream code itself. */
  datastreams?: Record<string, string> | undefined;
  /** The UTC offset of the file's local times; Vietnam's by default. */
  utcOffset?: string;
}

const REQUIRED = ['Site', 'Parameter', 'Year', 'Month', 'Day', 'Hour', 'Raw Conc.', 'QC Name'] as const;
/** The value such exports write for "no value". */
const MISSING = -999;

const two = (s: string) => s.trim().padStart(2, '0');

/**
 * The readings of a sensor export (UTF-8 CSV), streamed, each with its
 * line. Readings are stored as they come (each batch skips what is
 * stored), so a file beyond `maxRows` stops with `too_many_rows` at that
 * row; a row with a cell beyond the limit is a rejected row `row_too_long`.
 */
export async function* readSensorExport(input: FileSource | Buffer, options: SensorFileOptions = {}, limits: FileLimits = DEFAULT_FILE_LIMITS): AsyncGenerator<SensorFileRow> {
  const source = Buffer.isBuffer(input) ? bufferSource(input) : input;
  const offset = options.utcOffset ?? '+07:00';
  let header: Map<string, number> | null = null;
  let count = 0;
  for await (const rec of csvFileRecords(source, ',', limits.maxCellChars)) {
    if (header !== null && ++count > limits.maxRows) throw tooManyRows(limits.maxRows);
    if (rec.tooLong) {
      if (header === null) throw new AppError('missing_columns', 'Not a sensor export: the header row is longer than this server reads');
      yield { line: rec.line, raw: rec.raw, problem: { reason: 'row_too_long', message: `Line ${rec.line} holds a cell (or is) longer than this server reads; it was not read` } };
      continue;
    }
    const cells = rec.cells.map((c) => (c === null ? '' : String(c).trim()));
    if (header === null) {
      header = new Map(cells.map((c, i) => [c, i]));
      const missing = REQUIRED.filter((c) => !header?.has(c));
      if (missing.length) throw new AppError('missing_columns', `Not a sensor export: the header lacks ${missing.join(', ')}`, { missing });
      continue;
    }
    const cell = (name: string) => {
      const i = header?.get(name);
      return i === undefined ? '' : (cells[i] ?? '');
    };
    const raw = cutRaw(rec.raw);
    const [y, mo, d, h] = [cell('Year'), cell('Month'), cell('Day'), cell('Hour')];
    if (!/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(mo) || !/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(h)) {
      yield { line: rec.line, raw, problem: { reason: 'invalid_payload', message: `Line ${rec.line}: Year, Month, Day and Hour must be numbers` } };
      continue;
    }
    const at = `${y}-${two(mo)}-${two(d)}T${two(h)}:00:00${offset}`;
    const site = cell('Site');
    const parameter = cell('Parameter');
    const station = options.stations?.[site] ?? site;
    const datastream = options.datastreams?.[parameter] ?? parameter;
    const rawConc = cell('Raw Conc.');
    const qc = cell('QC Name');
    const n = Number(rawConc);
    if (rawConc === '' || !Number.isFinite(n)) {
      yield { line: rec.line, raw, problem: { reason: 'invalid_number', message: `Line ${rec.line}: Raw Conc. "${rawConc}" is not a number` } };
      continue;
    }
    if (n === MISSING || qc !== 'Valid') {
      yield {
        line: rec.line,
        raw,
        value: { station, datastream, at, value: null },
        problem: { reason: 'missing_value', message: `Line ${rec.line}: no reading at ${at} (${n === MISSING ? 'Raw Conc. -999' : `QC ${qc || 'empty'}`})` },
      };
      continue;
    }
    yield { line: rec.line, raw, value: { station, datastream, at, value: n } };
  }
  if (header === null) throw new AppError('empty_file', 'The file is empty');
}
