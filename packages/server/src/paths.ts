import { fileURLToPath } from 'node:url';

/** The reference data the product ships (geography, organisations, index definitions). */
export const REFERENCE_DATA_DIR = fileURLToPath(new URL('../../../data', import.meta.url));

/** Where the web app is built to (`npm run build:web`); the server serves it when present. */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));
