// Small statistics helpers: nearest-rank percentiles over finite numbers.
export function finite(xs) {
  return xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
}

export function percentile(xs, p) {
  const v = finite(xs).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const rank = Math.min(v.length, Math.max(1, Math.ceil((p / 100) * v.length)));
  return v[rank - 1];
}

export function median(xs) {
  const v = finite(xs).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function summary(xs) {
  const v = finite(xs);
  if (v.length === 0) return { n: 0, median: null, min: null, max: null, p25: null, p75: null, p95: null };
  return {
    n: v.length,
    median: round(median(v)),
    min: round(Math.min(...v)),
    max: round(Math.max(...v)),
    p25: round(percentile(v, 25)),
    p75: round(percentile(v, 75)),
    p95: round(percentile(v, 95)),
  };
}

export function round(x, digits = 1) {
  if (x == null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
