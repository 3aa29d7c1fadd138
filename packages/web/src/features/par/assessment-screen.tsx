/** One unit's PAR Index assessment in a cycle. */
export function AssessmentScreen({ id, unit }: { id: number; unit: string }) {
  return <h1>{`${id} ${unit}`}</h1>;
}
