import type { IngestResult } from '@watchfloor/core';
import { formatNumber } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';

/** How the server will keep a previewed row it stores otherwise than sent. */
interface StoredAs {
  place: string;
  placeName: string | null;
  organisation: string | null;
  value: number;
  unit: string;
}

type PreviewRow = Record<string, unknown> & { stored: StoredAs };

const isStored = (r: unknown): r is PreviewRow => typeof r === 'object' && r !== null && typeof (r as { stored?: unknown }).stored === 'object' && (r as { stored?: unknown }).stored !== null;

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/**
 * The previewed rows that will be kept otherwise than the file wrote them,
 * each as sent and as stored: a unit or agency named rather than coded
 * ("UBND phường Trà Vinh" → 29242 Phường Trà Vinh), a value converted from
 * the unit it was written in (1.234,5 triệu đồng → 1,2345 tỷ đồng).
 */
export function StoredAsNote({ result }: { result: IngestResult }) {
  const { t, lang } = useI18n();
  const rows = (result.preview ?? []).filter(isStored);
  if (rows.length === 0) return null;
  // Every digit the value keeps: a conversion is checked by eye against the file.
  const number = (v: unknown) => (typeof v === 'number' ? formatNumber(v, lang, 12) : text(v));
  return (
    <div className="stored-as" data-testid="stored-as">
      <p className="small">{t('desk.stored.title')}</p>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('desk.stored.sent')}</th>
              <th scope="col">{t('desk.stored.kept')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>
                  {[text(r.place), text(r.organisation)].filter((x) => x !== '').join(' · ')} — {text(r.indicator)} {text(r.period)}: {number(r.value)} {text(r.unit)}
                </td>
                <td>
                  {[`${r.stored.place}${r.stored.placeName ? ` ${r.stored.placeName}` : ''}`, r.stored.organisation ?? ''].filter((x) => x !== '').join(' · ')}: {number(r.stored.value)} {r.stored.unit}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
