/** Timing helpers for the benchmarks: repeated rounds, medians and spreads; ratios taken within a round. */
export interface Stat {
  median: number
  min: number
  max: number
}

export function stat(values: number[]): Stat {
  const s = [...values].sort((a, b) => a - b)
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! }
}

/** Nanoseconds per call of fn, over `iterations` calls (after a warm-up). */
export function nsPerOp(fn: () => void, iterations: number): number {
  for (let i = 0; i < Math.min(1000, iterations); i++) fn()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) fn()
  return Number(process.hrtime.bigint() - t0) / iterations
}

export async function nsPerOpAsync(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  for (let i = 0; i < Math.min(200, iterations); i++) await fn()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) await fn()
  return Number(process.hrtime.bigint() - t0) / iterations
}

export const fmt = (s: Stat, digits = 2) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}
