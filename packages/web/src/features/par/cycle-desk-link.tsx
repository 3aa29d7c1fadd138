import { grantsAllow } from '@watchfloor/core';
import { parCycleDeskUrl, PAR_DESKS_URL } from '../../app/routes';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';

/**
 * The way from the results to the desks, for those who work the cycle:
 * a unit's officer (par.assess) and the appraisers (par.appraise,
 * par.manage). A cycle's desk when one is given, else the cycles desk.
 * Nothing for leaders and the public, who read results only.
 */
export function ParDeskLink({ cycle }: { cycle?: number | null | undefined }) {
  const { t } = useI18n();
  const session = useSession();
  const grants = session.status === 'user' ? session.user.roles : [];
  if (!grantsAllow(grants, 'par.assess') && !grantsAllow(grants, 'par.appraise') && !grantsAllow(grants, 'par.manage')) return null;
  return (
    <Link to={cycle ? parCycleDeskUrl(cycle) : PAR_DESKS_URL} className="button" data-testid="par-desk-link">
      {t('parDesk.title')}
    </Link>
  );
}
