/** The HTTP contract of system: see ../contract.ts. */
export {};
