/**
 * Every route's contract, one module per feature, each imported as a
 * namespace: `casesApi.open`, `placesApi.detail`. The server registers
 * every one of them (a test checks), the web calls them through its client.
 */
import { contractsIn, type RouteContract } from '../contract';
import * as systemApi from './system';
import * as identityApi from './identity';
import * as liveApi from './live';
import * as placesApi from './places';
import * as organisationsApi from './organisations';
import * as catalogueApi from './catalogue';
import * as targetsApi from './targets';
import * as analyticsApi from './analytics';
import * as observationsApi from './observations';
import * as sourcesApi from './sources';
import * as stationsApi from './stations';
import * as pullsApi from './pulls';
import * as manualApi from './manual';
import * as freshnessApi from './freshness';
import * as casesApi from './cases';
import * as dossiersApi from './dossiers';
import * as scorecardsApi from './scorecards';
import * as operationsApi from './operations';
import * as alertsApi from './alerts';
import * as open311Api from './open311';
import * as capApi from './cap';
import * as dashboardsApi from './dashboards';
import * as auditApi from './audit';
import * as parApi from './par';
import * as directivesApi from './directives';
import * as reportsApi from './reports';
import * as messagesApi from './messages';

export { systemApi, identityApi, liveApi, placesApi, organisationsApi, catalogueApi, targetsApi, analyticsApi, observationsApi, sourcesApi, stationsApi, pullsApi, manualApi, freshnessApi, casesApi, dossiersApi, scorecardsApi, operationsApi, alertsApi, open311Api, capApi, dashboardsApi, auditApi, parApi, directivesApi, messagesApi, reportsApi };

/** Every contract of the API. */
export const CONTRACTS: readonly RouteContract[] = [systemApi, identityApi, liveApi, placesApi, organisationsApi, catalogueApi, targetsApi, analyticsApi, observationsApi, sourcesApi, stationsApi, pullsApi, manualApi, freshnessApi, casesApi, dossiersApi, scorecardsApi, operationsApi, alertsApi, open311Api, capApi, dashboardsApi, auditApi, parApi, directivesApi, messagesApi, reportsApi].flatMap((m) => contractsIn(m));
