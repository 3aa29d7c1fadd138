import { useI18n } from '../../lib/i18n/i18n';

/** The PAR Index results of a cycle (the latest when no id is given). */
export function ParResultsScreen({ id }: { id: string | null; search: string }) {
  const { t } = useI18n();
  return (
    <section className="screen" data-cycle={id ?? ''}>
      <h1>{t('nav.par')}</h1>
    </section>
  );
}
