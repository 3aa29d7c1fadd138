/** A PAR Index cycle's desk. */
export function CycleDesk({ id }: { id: number }) {
  return <h1>{id}</h1>;
}

/** The PAR Index cycles, and opening one. */
export function ParDesks() {
  return <h1>PAR</h1>;
}
