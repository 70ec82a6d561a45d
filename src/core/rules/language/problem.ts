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

/** Levenshtein distance, row by row: each cell from the one above, the one to its left and the one up-left. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3
  let above = Array.from({ length: b.length + 1 }, (_, j) => j)
  let result = b.length
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let left = i
    let upLeft = i - 1
    for (const [j, up] of above.slice(1).entries()) {
      left = Math.min(up + 1, left + 1, upLeft + (a.charAt(i - 1) === b.charAt(j) ? 0 : 1))
      row.push(left)
      upLeft = up
    }
    above = row
    result = left
  }
  return result
}

export const didYouMean = (word: string, candidates: Iterable<string>): string => {
  const c = closest(word, candidates)
  return c ? ` — did you mean '${c}'?` : ''
}
