/** The HTTP contract of stations: see ../contract.ts. */
export {};
