/** What a progress line says about a run of LookupEvents across regions. */
export interface ProgressState {
  events: number
  pages: number
  /** Calls retried after throttling or a server fault. */
  retries: number
  /** Per region: how far back it has read (the oldest eventTime seen, ms; absent before its first page), and whether it finished. */
  regions: ReadonlyArray<{ reachedMs?: number, finished: boolean }>
}

const duration = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000))
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`
}

/**
 * The line: events read, pages, rate, and an estimate of the time left. Pages come newest first, so a region's share
 * done is how far back from the window's end it has read; the ETA assumes the rest of the window is as dense. Pure.
 */
export function progressLine(state: ProgressState, window: { from: number, to: number }, elapsedMs: number): string {
  const span = Math.max(1, window.to - window.from)
  const shares = state.regions.map((r) => (r.finished ? 1 : r.reachedMs === undefined ? 0 : Math.min(1, Math.max(0, (window.to - r.reachedMs) / span))))
  const done = shares.length === 0 ? 0 : shares.reduce((a, b) => a + b, 0) / shares.length
  const rate = state.events / Math.max(0.001, elapsedMs / 1000)
  const eta = done > 0.001 && done < 1 ? ` · ETA ${duration((elapsedMs * (1 - done)) / done)}` : ''
  return `${state.events} events · ${state.pages} pages · ${rate.toFixed(1)} events/s · ${Math.floor(done * 100)}% of the window${eta}${state.retries ? ` · ${state.retries} retried` : ''}`
}
