/** The HTTP contract of audit: see ../contract.ts. */
export {};
