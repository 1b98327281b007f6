/** A small bar chart of daily counts (the evidence of an anomaly): the last bar, the day judged, in red. */
export function Sparkline({ values, limit, label }: { values: number[]; limit?: number | null; label: string }) {
  const w = 140;
  const h = 32;
  const max = Math.max(1, limit ?? 0, ...values);
  const bw = w / Math.max(1, values.length);
  const y = (v: number) => h - (v / max) * (h - 2);
  return (
    <svg width={w} height={h} role="img" aria-label={label} style={{ display: 'block' }}>
      <title>{label}</title>
      {values.map((v, i) => (
        <rect key={i} x={i * bw + 1} y={y(v)} width={Math.max(1, bw - 2)} height={h - y(v)} fill={i === values.length - 1 ? '#cf1322' : '#8aa4c8'} />
      ))}
      {limit != null && <line x1={0} x2={w} y1={y(limit)} y2={y(limit)} stroke="#d46b08" strokeDasharray="3 2" strokeWidth={1} />}
    </svg>
  );
}
