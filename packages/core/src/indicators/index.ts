/** Indicators: pure domain logic (periods, definitions, formulas, status, composite indices). No I/O. */
export * from './periods';
export * from './indicator';
export * from './formula';
export * from './status';
export * from './applicability';
export * from './composite';
export * from './pci';
export * from './observation';
export * from './rollup';
export * from './coverage';
export * from './figures';
export * from './views';
export { INDICATOR_CODE_PATTERN, indicatorCodeSchema, LANGUAGES, localisedSchema, type IndicatorInputReason, type Language, type Localised } from './shared';
