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
  // The requests for each file on disk (tests of several rules may share one event file).
  const byPath = new Map<string, Array<EventFileRequest & { source: RuleFileSource }>>()
  for (const r of requests) {
    const source = sources.get(r.ruleFile)
    if (!source) continue
    const path = resolve(dirname(source.path), r.relative)
    const list = byPath.get(path) ?? []
    list.push({ ...r, source })
    byPath.set(path, list)
  }
  const read = await readFiles(byPath.keys(), readText)
  const texts = new Map<string, string>()
  const failed = new Map<string, { source: RuleFileSource, failures: Array<{ relative: string, reason: string, fix: string, missing: boolean }> }>()
  for (const [path, result] of read) {
    for (const r of byPath.get(path) ?? []) {
      if ('text' in result) texts.set(key(r.ruleFile, r.relative), result.text)
      else {
        const entry = failed.get(r.ruleFile) ?? { source: r.source, failures: [] }
        if (!entry.failures.some((f) => f.relative === r.relative))
          entry.failures.push({ relative: r.relative, reason: result.error.reason, fix: result.error.fix, missing: result.error.code === 'ENOENT' })
        failed.set(r.ruleFile, entry)
      }
    }
  }
  const problems = [...failed].flatMap(([ruleFile, { source, failures }]) => {
    const yaml = parseYamlSource(ruleFile, source.text)
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
