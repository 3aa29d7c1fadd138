/**
 * The path of a sparkline: values spread evenly across the width, scaled
 * between their minimum and maximum, with a gap where a value is missing
 * (no data is not zero). Returns the SVG path and the last point drawn.
 */
export function sparklinePath(values: readonly (number | null)[], width: number, height: number, pad = 2): { d: string; last: { x: number; y: number } | null } {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return { d: '', last: null };
  const min = Math.min(...present);
  const max = Math.max(...present);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  let d = '';
  let last: { x: number; y: number } | null = null;
  let penDown = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      penDown = false;
      return;
    }
    const x = round(values.length > 1 ? pad + i * step : width / 2);
    // A flat series sits in the middle.
    const y = round(max === min ? height / 2 : height - pad - ((v - min) / span) * (height - 2 * pad));
    d += `${penDown ? 'L' : 'M'}${x} ${y} `;
    penDown = true;
    last = { x, y };
  });
  return { d: d.trim(), last };
}
