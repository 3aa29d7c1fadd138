import { useI18n } from '../../lib/i18n/i18n';

/** Rejected rows with their line, coded reason and the row as received. */
export function RejectedTable({ rows }: { rows: readonly { line: number | null; reason: string; message: string; raw: string }[] }) {
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
