/** The HTTP contract of cap: see ../contract.ts. */
export {};
