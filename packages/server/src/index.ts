export * from './app';
export * from './boot';
export * from './config';
export * from './context';
export * from './version';
export { loadGeography } from './features/geography/load';
export { seedOrganisations } from './features/organisations/seed';
export { statusReport, readiness } from './features/system/service';
export { REFERENCE_DATA_DIR } from './paths';
