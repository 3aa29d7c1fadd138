/** The HTTP contract of sources: see ../contract.ts. */
export {};
