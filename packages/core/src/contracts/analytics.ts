/** The HTTP contract of analytics: see ../contract.ts. */
export {};
