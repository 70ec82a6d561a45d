import { compilePattern, type ObjectNode } from './compilePattern.js'
import { matchNode } from './evaluatePattern.js'
import type { Lists } from './operators.js'
import type { Problem } from '../language/problem.js'

/** A pattern that could not be compiled, with every problem found. */
export class PatternError extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      `invalid event pattern: ${problems.map((p) => `${p.path.join('.') || '(root)'}: ${p.message}${p.fix ? ` (${p.fix})` : ''}`).join('; ')}`,
    )
    this.name = 'PatternError'
  }
}

/** Compile once, match many times. Throws PatternError listing every problem. */
export function compileEventPattern(pattern: unknown, lists: Lists = {}): ObjectNode {
  const ctx = { lists, extensions: new Set<string>(), problems: [] as Problem[] }
  const node = compilePattern(pattern, [], ctx)
  if (!node) throw new PatternError(ctx.problems)
  return node
}

/**
 * EventBridge content filtering applied to any JSON event: true when `event` matches `pattern`.
 * Throws PatternError for an invalid pattern. For repeated use, compile once with compileEventPattern.
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return matchNode(compileEventPattern(pattern), event)
}
