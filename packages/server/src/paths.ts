import { fileURLToPath } from 'node:url';

/** The reference data the product ships (geography, organisations, index definitions). */
export const REFERENCE_DATA_DIR = fileURLToPath(new URL('../../../data', import.meta.url));
