/** The HTTP contract of organisations: see ../contract.ts. */
export {};
