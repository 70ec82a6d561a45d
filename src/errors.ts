import { formatProblem, type LocatedProblem } from './core/rules/yamlSource.js'

/**
 * The rule files or trailwarden.yaml are invalid. Carries every problem, each as
 * `file:line:col rule-id: what is wrong — how to fix it`.
 */
export class RuleSetError extends Error {
  constructor(readonly problems: LocatedProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error')
    super(`${errors.length} problem${errors.length === 1 ? '' : 's'} in the rules or config:\n${errors.map(formatProblem).join('\n')}`)
    this.name = 'RuleSetError'
  }
}

/** The environment (variables, flags) is invalid. Lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `- ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}
