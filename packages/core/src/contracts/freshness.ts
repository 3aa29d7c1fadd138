/** The HTTP contract of freshness: see ../contract.ts. */
export {};
