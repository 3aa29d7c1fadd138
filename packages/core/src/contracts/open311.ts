/** The HTTP contract of open311: see ../contract.ts. */
export {};
