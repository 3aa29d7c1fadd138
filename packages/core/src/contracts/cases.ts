/** The HTTP contract of cases: see ../contract.ts. */
export {};
