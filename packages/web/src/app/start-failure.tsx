import { I18nProvider } from '../lib/i18n/i18n';
import { ErrorPanel } from '../lib/error-panel';
import { toApiError } from '../lib/api';

/** The app could not read what the server serves: the reason, in the reader's language, and a way to try again. */
export function StartFailure({ error }: { error: unknown }) {
  return (
    <I18nProvider>
      <main id="main">
        <ErrorPanel error={toApiError(error)} onRetry={() => window.location.reload()} />
      </main>
    </I18nProvider>
  );
}
