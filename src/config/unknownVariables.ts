import { closest } from '../core/rules/language/problem.js'
import { ENV_VARS } from './envSchema.js'

/**
 * A warning for every TRAILWARDEN_* variable trailwarden does not read (any case): a typo such as TRAILWARDEN_RULE is
 * otherwise ignored in silence, and the bundled ./rules run instead of the team's. `run` logs these at start.
 */
export function unknownVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  const known = Object.keys(ENV_VARS)
  return Object.keys(env)
    .filter((name) => name.toUpperCase().startsWith('TRAILWARDEN_') && !known.includes(name))
    .sort()
    .map((name) => {
      const guess = closest(name, known)
      return `${name} is not a variable trailwarden reads and is ignored — ${guess ? `did you mean ${guess}?` : `trailwarden reads ${known.filter((k) => k.startsWith('TRAILWARDEN_')).join(', ')}`}`
    })
}
