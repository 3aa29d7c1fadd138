import type { ApiError } from '../../lib/api';
import { errorMessageKey } from '../../lib/error-panel';
import { useI18n } from '../../lib/i18n/i18n';

/** A refusal inside a screen (a part that could not be read, a form the server refused): in the reader's words, with the code. */
export function DirRefused({ error }: { error: Pick<ApiError, 'code'> | null | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p className="desk-refused" role="alert" data-code={error.code}>
      {t('dir.refused')} {t(errorMessageKey(error.code))} <span className="muted small">({error.code})</span>
    </p>
  );
}
