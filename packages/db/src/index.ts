export * from './dialect';
export * from './migrate';
export * from './schema';
export * from './validity';
export * from './repositories/places';
export * from './repositories/organisations';
export * from './repositories/datasets';
