/** The HTTP contract of scorecards: see ../contract.ts. */
export {};
