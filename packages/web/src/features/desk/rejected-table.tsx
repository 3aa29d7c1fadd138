import { REJECTION_REASONS, type Language } from '@watchfloor/core';
import { useI18n } from '../../lib/i18n/i18n';
import { AliasForm } from './alias-form';
import { aliasOffer } from './alias-offer';

/**
 * Rejected rows with their line, their reason in the reader's language
 * (the registry's words, with its code and the server's particulars below)
 * and the row as received;
 * with `alias`, a row refused for a name (a unit or agency no one or
 * several bear, a legacy code) offers to name it once for the source.
 */
export function RejectedTable({
  rows,
  alias,
}: {
  rows: readonly { line: number | null; reason: string; message?: string | undefined; raw: string; row?: unknown }[];
  alias?: { source: string; onAdded: () => void } | undefined;
}) {
  const { t, lang } = useI18n();
  if (rows.length === 0) return <p className="muted">{t('desk.data.noneRejected')}</p>;
  return (
    <div className="table-scroll">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('desk.data.line')}
            </th>
            <th scope="col">{t('desk.data.reason')}</th>
            <th scope="col">{t('desk.data.raw')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td className="num">{r.line ?? '—'}</td>
              <td>
                <ReasonText reason={r.reason} message={r.message} lang={lang} />
                {alias ? <Offer source={alias.source} row={{ ...r, message: r.message ?? '' }} onAdded={alias.onAdded} /> : null}
              </td>
              <td>
                <code className="raw-row">{r.raw}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A reason in the reader's language from the registry, its code, and the server's particulars (the column, the value) when they add to it. */
function ReasonText({ reason, message, lang }: { reason: string; message: string | undefined; lang: Language }) {
  const known = (REJECTION_REASONS as Record<string, { vi: string; en: string } | undefined>)[reason];
  const particulars = message && message !== known?.en ? message : null;
  return (
    <>
      {known ? known[lang] : (message ?? reason)} <code className="small">{reason}</code>
      {known && particulars ? <span className="muted small rejection-particulars"> {particulars}</span> : null}
    </>
  );
}

function Offer({ source, row, onAdded }: { source: string; row: { reason: string; message: string; row?: unknown }; onAdded: () => void }) {
  const offer = aliasOffer(row);
  return offer ? <AliasForm source={source} offer={offer} onAdded={onAdded} /> : null;
}
