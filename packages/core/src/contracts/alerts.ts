/** The HTTP contract of alerts: see ../contract.ts. */
export {};
