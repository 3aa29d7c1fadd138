export * from './schemas';
export * from './lifecycle';
