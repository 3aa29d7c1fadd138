import { FILE_KEYS, type FileKey, type IngestResult, type KeyOrigin } from '@watchfloor/core';
import { formatNumber } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import type { MessageKey } from '../../lib/i18n/translate';
import { labelOf } from '../period/period-label';

const ORIGIN_KEYS: Record<KeyOrigin, MessageKey> = {
  column: 'desk.layout.from.column',
  cell: 'desk.layout.from.cell',
  title: 'desk.layout.from.title',
  file_name: 'desk.layout.from.file_name',
  declared: 'desk.layout.from.declared',
  default: 'desk.layout.from.default',
};

const KEY_NAMES: Record<FileKey, MessageKey> = { period: 'desk.layout.period', place: 'desk.layout.place', organisation: 'desk.layout.organisation' };

/**
 * How an uploaded file was read, under its preview and its result: where
 * its period (place, organisation) came from, its value columns with their
 * indicators, its total rows left out and checked; and each total that
 * differs from the sum of its rows, as a warning.
 */
export function FileLayoutNote({ result }: { result: IngestResult }) {
  const { t, lang } = useI18n();
  const layout = result.layout;
  if (!layout) return null;
  const keys = FILE_KEYS.flatMap((k) => {
    const key = layout.keys[k];
    return key ? [{ k, ...key }] : [];
  });
  const wide = layout.values.filter((v) => v.indicator !== null);
  const totalLines = [...new Set(layout.totals.map((x) => x.line))];
  return (
    <div className="file-layout small" data-testid="file-layout">
      {keys.length > 0 ? (
        <ul className="file-layout-keys">
          {keys.map(({ k, from, value, cell }) => (
            <li key={k} data-testid={`file-key-${k}`}>
              {t(KEY_NAMES[k])}
              {value !== null && from !== 'column' ? <strong> {k === 'period' ? labelOf(value, lang) : value}</strong> : null}: {t(ORIGIN_KEYS[from], { cell: cell ?? '' })}
            </li>
          ))}
        </ul>
      ) : null}
      {wide.length > 0 ? (
        <p data-testid="file-values">
          {t('desk.layout.values')}{' '}
          {wide.map((v, i) => (
            <span key={v.column}>
              {i > 0 ? '; ' : ''}
              <q>{v.column}</q> → <code>{v.indicator}</code>
              {v.unit ? ` (${v.unit})` : ''}
            </span>
          ))}
        </p>
      ) : null}
      {totalLines.length > 0 ? <p data-testid="file-totals">{t('desk.layout.totals', { lines: totalLines.join(', ') })}</p> : null}
      {(result.warnings ?? []).map((w) => {
        const found = layout.totals.find((x) => x.line === w.line && x.column === w.column);
        return (
          <p key={`${w.line}-${w.column}`} className="field-error" role="alert" data-testid="file-warning">
            {found
              ? t('desk.layout.totalMismatch', { line: w.line ?? '', column: w.column ?? '', total: formatNumber(found.total, lang), sum: formatNumber(found.sum, lang) })
              : w.message}
          </p>
        );
      })}
    </div>
  );
}
