import { formatProblem, type LocatedProblem } from './core/rules/language/yamlSource.js'

/**
 * The rule files or trailwarden.yaml are invalid. Carries every problem, each as
 * `file:line:col rule-id: what is wrong — how to fix it`.
 */
export class RuleSetError extends Error {
  /** Each problem as one line. */
  readonly lines: string[]

  constructor(problems: LocatedProblem[] | string[]) {
    const lines = problems.map((p) => (typeof p === 'string' ? p : p.severity === 'error' ? formatProblem(p) : undefined)).filter((l) => l !== undefined)
    super(`${lines.length} problem${lines.length === 1 ? '' : 's'} in the rules or config:\n${lines.join('\n')}`)
    this.name = 'RuleSetError'
    this.lines = lines
  }
}

/** The environment (variables, flags) is invalid. Lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `- ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}
