/** The HTTP contract of targets: see ../contract.ts. */
export {};
