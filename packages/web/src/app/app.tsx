import { lazy, Suspense, useEffect, useRef } from 'react';
import { ErrorBoundary } from '../lib/error-boundary';
import { ErrorPanel } from '../lib/error-panel';
import { Loading } from '../lib/loading';
import { I18nProvider, useI18n } from '../lib/i18n/i18n';
import { useLocation } from '../lib/router';
import { useSession } from '../lib/session';
import { ChangePasswordScreen, SignInScreen } from '../features/access/sign-in-screen';
import { IndicatorScreen } from '../features/indicator/indicator-screen';
import { PlaceScreen } from '../features/place/place-screen';
import { homePlace, todayInVietnam } from '../features/time/time-travel';
import { AppHeader } from './app-header';
import { parseRoute, readQuery } from './routes';

// Dashboards, their editor and the video wall are a chunk of their own, loaded by those screens only.
const boardScreens = () => import('../features/dashboards/screens');
const DashboardScreen = lazy(() => boardScreens().then((m) => ({ default: m.DashboardScreen })));
const DashboardEditor = lazy(() => boardScreens().then((m) => ({ default: m.DashboardEditor })));
const DashboardsList = lazy(() => boardScreens().then((m) => ({ default: m.DashboardsList })));
const WallScreen = lazy(() => boardScreens().then((m) => ({ default: m.WallScreen })));
const PlaylistsList = lazy(() => boardScreens().then((m) => ({ default: m.PlaylistsList })));
const PlaylistEditor = lazy(() => boardScreens().then((m) => ({ default: m.PlaylistEditor })));
// The operator desks (cases, alerts, data, dossiers) likewise.
const deskScreens = () => import('../features/desk/screens');
const CaseBoard = lazy(() => deskScreens().then((m) => ({ default: m.CaseBoard })));
const CaseScreen = lazy(() => deskScreens().then((m) => ({ default: m.CaseScreen })));
const AlertDesk = lazy(() => deskScreens().then((m) => ({ default: m.AlertDesk })));
const DataDesk = lazy(() => deskScreens().then((m) => ({ default: m.DataDesk })));
const DossierList = lazy(() => deskScreens().then((m) => ({ default: m.DossierList })));
// Agency scorecards likewise.
const ScorecardsScreen = lazy(() => import('../features/scorecards/scorecards-screen').then((m) => ({ default: m.ScorecardsScreen })));
// The PAR Index screens likewise.
const ParResultsScreen = lazy(() => import('../features/par/results-screen').then((m) => ({ default: m.ParResultsScreen })));
// The PAR Index: a unit's assessment and the cycle desks.
const AssessmentScreen = lazy(() => import('../features/par/assessment-screen').then((m) => ({ default: m.AssessmentScreen })));
const cycleDesk = () => import('../features/par/cycle-desk');
const CycleDesk = lazy(() => cycleDesk().then((m) => ({ default: m.CycleDesk })));
const ParDesks = lazy(() => cycleDesk().then((m) => ({ default: m.ParDesks })));
// Leadership directives: completion by agency, the overdue list, a document with its tasks.
const directiveScreens = () => import('../features/directives/screens');
const DirectivesScreen = lazy(() => directiveScreens().then((m) => ({ default: m.DirectivesScreen })));
const DirectiveScreen = lazy(() => directiveScreens().then((m) => ({ default: m.DirectiveScreen })));
// Periodic reports downloaded for a month; their templates, edited by data stewards.
const ReportsScreen = lazy(() => import('../features/reports/reports-screen').then((m) => ({ default: m.ReportsScreen })));
// Below them, the schedules that send reports and tables by e-mail (data stewards only).
const ReportSchedulesSection = lazy(() => import('../features/reports/schedules-section').then((m) => ({ default: m.ReportSchedulesSection })));
// One's own notification preferences.
const MessagePreferencesScreen = lazy(() => import('../features/messages/preferences-screen').then((m) => ({ default: m.MessagePreferencesScreen })));

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

  // The video wall is the whole screen: no header, its own dark high-contrast layout.
  const route = parseRoute(location.pathname);
  if (route.name === 'wall') {
    return (
      <main id="main" ref={main} tabIndex={-1} className="wall-main">
        <ErrorBoundary resetKey={location.href}>
          <Suspense fallback={<Loading />}>
            <WallScreen playlist={route.playlist} today={todayInVietnam()} />
          </Suspense>
        </ErrorBoundary>
      </main>
    );
  }

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
  const session = useSession();
  // A temporary password is changed before anything else.
  if (session.status === 'user' && session.user.mustChangePassword && route.name !== 'signIn') return <ChangePasswordScreen onDone={() => undefined} />;
  switch (route.name) {
    case 'home':
      return <PlaceScreen route={route} code={homePlace(query.at ?? today)} query={query} today={today} />;
    case 'place':
      return <PlaceScreen route={route} code={route.code} query={query} today={today} />;
    case 'indicator':
      return <IndicatorScreen route={route} query={query} today={today} />;
    case 'dashboards':
    case 'walls':
      return (
        <Suspense fallback={<Loading />}>
          <DashboardsList walls={route.name === 'walls'} />
        </Suspense>
      );
    case 'dashboard':
      return (
        <Suspense fallback={<Loading />}>
          <DashboardScreen code={route.code} search={search} today={today} />
        </Suspense>
      );
    case 'dashboardEdit':
      return (
        <Suspense fallback={<Loading />}>
          <DashboardEditor code={route.code} today={today} />
        </Suspense>
      );
    case 'deskCases':
      return (
        <Suspense fallback={<Loading />}>
          <CaseBoard search={search} />
        </Suspense>
      );
    case 'case':
      return (
        <Suspense fallback={<Loading />}>
          <CaseScreen id={route.id} />
        </Suspense>
      );
    case 'deskAlerts':
      return (
        <Suspense fallback={<Loading />}>
          <AlertDesk />
        </Suspense>
      );
    case 'deskData':
      return (
        <Suspense fallback={<Loading />}>
          <DataDesk search={search} />
        </Suspense>
      );
    case 'deskDossiers':
      return (
        <Suspense fallback={<Loading />}>
          <DossierList search={search} />
        </Suspense>
      );
    case 'scorecards':
      return (
        <Suspense fallback={<Loading />}>
          <ScorecardsScreen search={search} today={today} />
        </Suspense>
      );
    case 'playlists':
      return (
        <Suspense fallback={<Loading />}>
          <PlaylistsList />
        </Suspense>
      );
    case 'playlistEdit':
      return (
        <Suspense fallback={<Loading />}>
          <PlaylistEditor code={route.code} />
        </Suspense>
      );
    case 'parDesks':
      return (
        <Suspense fallback={<Loading />}>
          <ParDesks />
        </Suspense>
      );
    case 'parCycleDesk':
      return (
        <Suspense fallback={<Loading />}>
          <CycleDesk id={route.id} />
        </Suspense>
      );
    case 'parAssessment':
      return (
        <Suspense fallback={<Loading />}>
          <AssessmentScreen id={route.id} unit={route.unit} />
        </Suspense>
      );
    case 'parResults':
      return (
        <Suspense fallback={<Loading />}>
          <ParResultsScreen id={route.id} search={search} />
        </Suspense>
      );
    case 'directives':
      return (
        <Suspense fallback={<Loading />}>
          <DirectivesScreen search={search} today={today} />
        </Suspense>
      );
    case 'directive':
      return (
        <Suspense fallback={<Loading />}>
          <DirectiveScreen number={route.number} search={search} />
        </Suspense>
      );
    case 'reports':
      return (
        <Suspense fallback={<Loading />}>
          <ReportsScreen today={today} />
          <ReportSchedulesSection />
        </Suspense>
      );
    case 'messagePreferences':
      return (
        <Suspense fallback={<Loading />}>
          <MessagePreferencesScreen />
        </Suspense>
      );
    case 'signIn':
      return <SignInScreen search={search} />;
    // The wall is drawn by Shell, without the header.
    case 'wall':
    case 'notFound':
      return <ErrorPanel error={{ code: 'noRoute', message: pathname }} />;
  }
}
