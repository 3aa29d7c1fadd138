/** The HTTP contract of live: see ../contract.ts. */
export {};
