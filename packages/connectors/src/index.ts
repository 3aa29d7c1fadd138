/** Connectors: one folder per kind of source, each reading its payload into rows for the one write path. */
export * from './rows';
export * from './pull';
export * from './sql-pull/index';
export * from './http-pull/index';
export * from './http-push/json-stream';
export * from './file/csv';
export * from './file/headers';
export * from './file/numbers';
export * from './file/periods';
export * from './file/table';
export * from './file/xlsx';
export * from './file/read';
export * from './file/template';
export * from './file/readings';
export * from './file/dossiers';
export * from './mqtt/subscription';
export * from './cap/index';
