/** The HTTP contract of catalogue: see ../contract.ts. */
export {};
