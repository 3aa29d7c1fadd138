export * from './schemas';
export * from './lifecycle';
export * from './recurrence';
export * from './completion';
export * from './import';
export * from './views';
export * from './due';
