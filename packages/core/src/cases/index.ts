export * from './workflow';
export * from './schemas';
export * from './counts';
