export * from './templates';
export * from './schedules';
