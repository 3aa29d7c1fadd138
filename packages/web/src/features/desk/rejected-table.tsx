import { useI18n } from '../../lib/i18n/i18n';
import { AliasForm } from './alias-form';
import { aliasOffer } from './alias-offer';

/**
 * Rejected rows with their line, coded reason and the row as received;
 * with `alias`, a row refused for a name (a unit or agency no one or
 * several bear, a legacy code) offers to name it once for the source.
 */
export function RejectedTable({
  rows,
  alias,
}: {
  rows: readonly { line: number | null; reason: string; message: string; raw: string; row?: unknown }[];
  alias?: { source: string; onAdded: () => void } | undefined;
}) {
  const { t } = useI18n();
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
                <code>{r.reason}</code> {r.message}
                {alias ? <Offer source={alias.source} row={r} onAdded={alias.onAdded} /> : null}
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

function Offer({ source, row, onAdded }: { source: string; row: { reason: string; message: string; row?: unknown }; onAdded: () => void }) {
  const offer = aliasOffer(row);
  return offer ? <AliasForm source={source} offer={offer} onAdded={onAdded} /> : null;
}
