/** The HTTP contract of manual: see ../contract.ts. */
export {};
