import type { z } from 'zod'
import { didYouMean, type Problem, problem } from './problem.js'
import { shortJson } from './shortJson.js'
import { valueAtPath } from '../../json.js'

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : shortJson(v))

/** zod issues → problems that say what is wrong and how to fix it. */
export function schemaProblems(error: z.ZodError, root: unknown, allowedKeys: (path: ReadonlyArray<PropertyKey>) => string[]): Problem[] {
  const out: Problem[] = []
  for (const issue of error.issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)))
    const last = path[path.length - 1]
    const name = typeof last === 'number' ? `${String(path[path.length - 2] ?? 'item')}[${last}]` : (last ?? 'value')
    const value = valueAtPath(root, path)
    const parent = valueAtPath(root, path.slice(0, -1))
    const present = last === undefined || (parent !== null && typeof parent === 'object' && Object.hasOwn(parent, last))
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(issue.path)
      for (const key of issue.keys)
        out.push(problem([...path, key], `unknown key '${key}'${didYouMean(key, allowed)}`, allowed.length ? `allowed here: ${allowed.join(', ')}` : undefined, true))
    } else if (!present) {
      out.push(problem(path, `'${name}' is required`, `add ${name}: …`, true))
    } else if (issue.code === 'invalid_value') {
      out.push(problem(path, `${name} must be one of ${issue.values.map(String).join(', ')}, not ${show(value)}`))
    } else if (issue.code === 'invalid_key') {
      out.push(problem(path, issue.issues[0]?.message ?? `'${name}' is not a valid name`, undefined, true))
    } else if (issue.code === 'invalid_type') {
      const fix =
        issue.expected === 'array' && (typeof value === 'string' || typeof value === 'number')
          ? `write ${name}: [${String(value)}]`
          : issue.expected === 'string' && typeof value === 'number'
            ? `quote it: "${String(value)}"`
            : undefined
      out.push(problem(path, `${name} must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping' : `a ${issue.expected}`}, not ${show(value)}`, fix))
    } else if (issue.code === 'invalid_union') {
      out.push(problem(path, `${name} has the wrong form`, 'see rules/README.md for the forms it takes'))
    } else {
      out.push(problem(path, issue.message.replace(/^Invalid input: /, '')))
    }
  }
  return out
}
