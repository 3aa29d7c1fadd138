import { useEffect, useRef } from 'react';
import { ErrorBoundary } from '../lib/error-boundary';
import { ErrorPanel } from '../lib/error-panel';
import { I18nProvider, useI18n } from '../lib/i18n/i18n';
import { useLocation } from '../lib/router';
import { IndicatorScreen } from '../features/indicator/indicator-screen';
import { PlaceScreen } from '../features/place/place-screen';
import { homePlace, todayInVietnam } from '../features/time/time-travel';
import { AppHeader } from './app-header';
import { parseRoute, readQuery } from './routes';

export function App() {
  return (
    <I18nProvider>
      <Shell />
    </I18nProvider>
  );
}

function Shell() {
  const { t } = useI18n();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After an in-app navigation, move focus to the new screen so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <AppHeader />
      <main id="main" ref={main} tabIndex={-1}>
        <ErrorBoundary resetKey={location.href}>
          <Screen pathname={location.pathname} search={location.search} />
        </ErrorBoundary>
      </main>
    </>
  );
}

function Screen({ pathname, search }: { pathname: string; search: string }) {
  const route = parseRoute(pathname);
  const query = readQuery(search);
  const today = todayInVietnam();
  switch (route.name) {
    case 'home':
      return <PlaceScreen route={route} code={homePlace(query.at ?? today)} query={query} today={today} />;
    case 'place':
      return <PlaceScreen route={route} code={route.code} query={query} today={today} />;
    case 'indicator':
      return <IndicatorScreen route={route} query={query} today={today} />;
    case 'notFound':
      return <ErrorPanel error={{ code: 'noRoute', message: pathname }} />;
  }
}
