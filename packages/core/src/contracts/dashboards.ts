/** The HTTP contract of dashboards: see ../contract.ts. */
export {};
