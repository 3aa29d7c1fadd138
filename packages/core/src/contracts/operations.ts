/** The HTTP contract of operations: see ../contract.ts. */
export {};
