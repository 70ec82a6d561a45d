import type { LocatedProblem } from '../core/rules/language/yamlSource.js'
import { FileReadError } from '../errors.js'
import { displayPath } from './displayPath.js'

/**
 * A file or folder that could not be read, as a problem placed at its first line:
 * `rules/x.yaml:1:1 -: cannot read the rule file: ENOENT (it does not exist …) — restore it …`.
 * `fixWhenMissing` replaces the generic advice when the path does not exist (a wrong variable, a dangling link).
 */
export function fileProblem(path: string, err: unknown, what: string, fixWhenMissing?: string): LocatedProblem {
  const failure = FileReadError.from(displayPath(path), err)
  const missing = failure.code === 'ENOENT' || failure.code === 'ENOTDIR'
  return {
    file: displayPath(path),
    line: 1,
    col: 1,
    message: `cannot read ${what}: ${failure.reason}`,
    fix: missing && fixWhenMissing !== undefined ? fixWhenMissing : failure.fix,
    severity: 'error',
  }
}
