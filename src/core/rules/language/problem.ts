/** A path into a YAML/JSON document: keys and array indexes. */
export type Path = ReadonlyArray<string | number>

/** Something wrong in a rule or config, located by path; the loader turns the path into file:line:col. */
export interface Problem {
  path: Path
  /** What is wrong. */
  message: string
  /** How to fix it. */
  fix?: string
  /** Point at the key rather than its value (unknown keys). */
  atKey?: boolean
}

export const problem = (path: Path, message: string, fix?: string, atKey?: boolean): Problem => {
  const p: Problem = { path, message }
  if (fix) p.fix = fix
  if (atKey) p.atKey = true
  return p
}

/** The closest candidate to a misspelt word (Levenshtein distance ≤ 2), for "did you mean …". */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]!
}

export const didYouMean = (word: string, candidates: Iterable<string>): string => {
  const c = closest(word, candidates)
  return c ? ` — did you mean '${c}'?` : ''
}
