export * from './errors';
export * from './dates';
export * from './places';
export * from './geo';
export * from './organisations';
export * from './indicators';
export * from './ancestry';
