import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, type Document, visit } from 'yaml'
import type { Path, Problem } from './problem.js'
import { firstPart } from '../../split.js'

/** A problem placed in a file: what `validate` prints as file:line:col rule-id: message — fix. */
export interface LocatedProblem {
  file: string
  line: number
  col: number
  ruleId?: string
  message: string
  fix?: string
  /** Warnings (an exception close to expiry) do not stop the daemon. */
  severity: 'error' | 'warning'
}

export const formatProblem = (p: LocatedProblem): string =>
  `${p.file}:${p.line}:${p.col} ${p.ruleId ?? '-'}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}${p.fix ? ` — ${p.fix}` : ''}`

export interface YamlSource {
  file: string
  value: unknown
  /** Where a path into the value is written in the file. */
  locate: (problem: Problem, ruleId?: string) => LocatedProblem
  /** Problems of the YAML itself (syntax, duplicate keys, unknown tags). */
  problems: LocatedProblem[]
}

/**
 * Parse YAML keeping positions. Warnings (an unknown tag such as !!js/function stays a plain string)
 * count as errors: a rule file must mean exactly what it says. Aliases are capped against alias bombs.
 */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true })
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, col }
  }
  const problems: LocatedProblem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    file,
    ...at(e.pos[0]),
    message: `YAML: ${firstPart(e.message, '\n')}`,
    fix: e.code === 'DUPLICATE_KEY' ? 'remove one of the two keys' : e.code === 'TAG_RESOLVE_FAILED' ? 'remove the tag' : 'fix the YAML syntax',
    severity: 'error' as const,
  }))
  problems.push(...prototypeKeys(doc).map((offset) => ({ file, ...at(offset), ...PROTOTYPE_KEY })))
  let value: unknown
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 })
    } catch (err) {
      problems.push({ file, line: 1, col: 1, message: `YAML: ${(err as Error).message}`, fix: 'use fewer aliases', severity: 'error' })
    }
  }
  return {
    file,
    value,
    problems,
    locate(problem, ruleId) {
      const offset = offsetOf(doc, problem.path, problem.atKey === true)
      const located: LocatedProblem = { file, ...at(offset), message: problem.message, severity: 'error' }
      if (ruleId) located.ruleId = ruleId
      if (problem.fix) located.fix = problem.fix
      return located
    },
  }
}

/**
 * A key `__proto__` (or a dotted key with a `__proto__` part, `__proto__.x`) cannot mean what it says. The YAML
 * reader keeps it as an own key, but the schema step copies each mapping by assignment, where `__proto__` sets the
 * copy's prototype instead: the key vanished, and an exception pattern carrying one suppressed more than it was
 * written to (issue 16). Dotted, it reached Object.prototype itself when `a.b` keys were expanded. So it is refused
 * wherever it is written, in rules and in the config. (`constructor` and `prototype` are ordinary names: every read
 * of a pattern and of an event takes own properties only.)
 */
const PROTOTYPE_KEY = {
  message: 'a key named __proto__ cannot be used: JavaScript objects drop it, so the mapping would say less than it is written to say',
  fix: 'remove it (no CloudTrail record has such a field)',
  severity: 'error' as const,
}

const isPrototypeKey = (key: string): boolean => key === '__proto__' || key.split('.').includes('__proto__')

/** The offsets of the keys PROTOTYPE_KEY refuses. */
function prototypeKeys(doc: Document): number[] {
  const offsets: number[] = []
  visit(doc, {
    Pair(_, pair) {
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key
      if (isScalar(key) && typeof key.value === 'string' && isPrototypeKey(key.value)) offsets.push((pair.key as Node).range?.[0] ?? 0)
    },
  })
  return offsets
}

/** The offset of the deepest node the path reaches (its key when asked and found). */
function offsetOf(doc: Document, path: Path, atKey: boolean): number {
  let node: unknown = doc.contents
  let offset = (doc.contents)?.range?.[0] ?? 0
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment))
      if (!pair) break
      const keyNode = pair.key as Node | null
      if (last && atKey && keyNode?.range) return keyNode.range[0]
      node = pair.value
      offset = (pair.value as Node | null)?.range?.[0] ?? keyNode?.range?.[0] ?? offset
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined
      if (!item) break
      node = item
      offset = item.range?.[0] ?? offset
    } else break
  }
  return offset
}
