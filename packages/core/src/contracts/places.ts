/** The HTTP contract of places: see ../contract.ts. */
export {};
