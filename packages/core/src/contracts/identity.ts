/** The HTTP contract of identity: see ../contract.ts. */
export {};
