import { dirname, resolve } from 'node:path'
import type { EventFiles } from '../core/rules/ruleTests/runRuleTests.js'
import type { Path } from '../core/rules/language/problem.js'
import { type LocatedProblem, parseYamlSource } from '../core/rules/language/yamlSource.js'
import { readFiles } from './readFiles.js'

/** A test's event file, as a rule names it: a path relative to the rule file. */
export interface EventFileRequest {
  /** The rule file as the rule set shows it (its display path). */
  ruleFile: string
  relative: string
}

export interface RuleFileSource {
  /** Where the rule file is on disk. */
  path: string
  text: string
}

export interface TestEvents {
  eventFiles: EventFiles
  /** One per test whose event file could not be read, placed on that test's `event:` line. */
  problems: LocatedProblem[]
}

const key = (ruleFile: string, relative: string) => `${ruleFile}\0${relative}`

/**
 * Read every test event file the rules name, asynchronously and each once, so that the rule tests (core) only look
 * them up. A file that cannot be read is a problem on the test that names it.
 */
export async function readTestEvents(
  requests: readonly EventFileRequest[],
  sources: ReadonlyMap<string, RuleFileSource>,
  readText: (path: string) => Promise<string>,
): Promise<TestEvents> {
  const located = requests.flatMap((r) => {
    const source = sources.get(r.ruleFile)
    return source ? [{ ...r, path: resolve(dirname(source.path), r.relative) }] : []
  })
  const read = await readFiles(located.map((r) => r.path), readText)
  const texts = new Map<string, string>()
  const failed = new Map<string, Array<{ relative: string, reason: string, fix: string, missing: boolean }>>()
  for (const r of located) {
    const result = read.get(r.path)!
    if ('text' in result) texts.set(key(r.ruleFile, r.relative), result.text)
    else {
      const list = failed.get(r.ruleFile) ?? []
      if (!list.some((f) => f.relative === r.relative))
        list.push({ relative: r.relative, reason: result.error.reason, fix: result.error.fix, missing: result.error.code === 'ENOENT' })
      failed.set(r.ruleFile, list)
    }
  }
  const problems = [...failed].flatMap(([ruleFile, failures]) => {
    const yaml = parseYamlSource(ruleFile, sources.get(ruleFile)!.text)
    const rawId = (yaml.value as { id?: unknown } | null)?.id
    const ruleId = typeof rawId === 'string' ? rawId : undefined
    return failures.flatMap((f) => {
      const problem = f.missing
        ? { message: `test event file '${f.relative}' does not exist`, fix: 'paths are relative to the rule file' }
        : { message: `test event file '${f.relative}' cannot be read: ${f.reason}`, fix: f.fix }
      const paths = testsNaming(yaml.value, f.relative)
      return (paths.length > 0 ? paths : [[]]).map((path) => yaml.locate({ path, ...problem }, ruleId))
    })
  })
  return { eventFiles: { get: (ruleFile, relative) => texts.get(key(ruleFile, relative)) }, problems }
}

/** The paths of the tests whose event (or event.base) is `relative`. */
function testsNaming(rule: unknown, relative: string): Path[] {
  const tests = (rule as { tests?: unknown } | null)?.tests
  if (!Array.isArray(tests)) return []
  return tests.flatMap((t: unknown, i): Path[] => {
    const event = (t as { event?: unknown } | null)?.event
    if (event === relative) return [['tests', i, 'event']]
    if ((event as { base?: unknown } | null)?.base === relative) return [['tests', i, 'event', 'base']]
    return []
  })
}
