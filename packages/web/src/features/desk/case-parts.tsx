import type { Case, CaseStatus } from '@watchfloor/core';
import { useI18n } from '../../lib/i18n/i18n';

export function StatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useI18n();
  return <span className={`badge case-status status-${status}`}>{t(`case.status.${status}`)}</span>;
}

/** Overdue and due soon are marked in words as well as colour; a case on track or finished needs no mark. */
export function DeadlineBadge({ state }: { state: Case['deadlineState'] }) {
  const { t } = useI18n();
  if (state !== 'overdue' && state !== 'due_soon') return null;
  return <span className={`badge deadline-${state}`}>{t(`case.deadline.${state}`)}</span>;
}
