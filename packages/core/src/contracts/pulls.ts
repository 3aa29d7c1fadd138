/** The HTTP contract of pulls: see ../contract.ts. */
export {};
