/** The HTTP contract of dossiers: see ../contract.ts. */
export {};
