export * from './workflow';
export * from './schemas';
