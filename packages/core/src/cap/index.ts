export * from './schema';
export * from './geometry';
export * from './severity';
export * from './views';
