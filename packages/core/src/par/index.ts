export * from './framework';
export * from './scoring';
export * from './cycle';
export * from './views';
