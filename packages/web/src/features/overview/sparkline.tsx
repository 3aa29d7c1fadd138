import { sparklinePath } from './sparkline-path';

const W = 96;
const H = 28;

/** A small inline line of the recent periods; gaps where there is no data. */
export function Sparkline({ values, label }: { values: readonly (number | null)[]; label: string }) {
  const { d, last } = sparklinePath(values, W, H);
  if (!d) return null;
  return (
    <svg className="sparkline" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label}>
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" strokeLinecap="round" />
      {last ? <circle cx={last.x} cy={last.y} r="2.4" fill="currentColor" /> : null}
    </svg>
  );
}
