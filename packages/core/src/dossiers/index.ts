export * from './measures';
export * from './schemas';
