import { compilePattern, type ObjectNode } from '../pattern/compilePattern.js'
import type { Lists, OperatorContext } from '../pattern/operators.js'
import { didYouMean, type Problem, problem } from '../language/problem.js'
import { RULE_FIELDS } from '../language/ruleFields.js'
import { durationMs, type RuleDocument, type RuleTestCase, ruleSchema, type Severity } from '../language/ruleSchema.js'
import { schemaKeysAt } from '../language/schemaKeys.js'
import { schemaProblems } from '../language/schemaProblems.js'
import { lookup } from '../../json.js'
import { firstPart } from '../../split.js'

export interface CompiledException {
  index: number
  reason: string
  /** When the rule gives `expires`: that last day as written, and the first instant (ms) the exception no longer applies, the day after it (UTC). */
  expiry?: { date: string, endsAt: number }
  /** The line of the exception in its rule file (set by compileRuleSet, which has the positions), for messages. */
  line?: number
  match: ObjectNode
}

/** An exception with an `expires` date. */
export type DatedException = CompiledException & { expiry: NonNullable<CompiledException['expiry']> }

export const isDated = (e: CompiledException): e is DatedException => e.expiry !== undefined

export interface CompiledRule {
  id: string
  file: string
  title: string
  severity: Severity
  description: string
  runbook?: string
  tags: string[]
  mode: 'alert' | 'shadow'
  references?: string[]
  falsePositives?: string
  match: ObjectNode
  exceptions: CompiledException[]
  /** Severity by context; the first whose pattern matches wins. */
  escalations: Array<{ severity: Severity, match: ObjectNode }>
  dedup?: { by: string[], windowMs: number }
  notify?: { channel?: string, mention?: string }
  tests: RuleTestCase[]
  /** Test cases that set their own lists (by index): the rule compiled with those lists. */
  testRules?: ReadonlyMap<number, CompiledRule>
  /** trailwarden extensions the rule uses (not valid in an EventBridge rule). */
  extensions: string[]
  /** Literal eventSource / eventName lists of the pattern, for the index and the bus pattern. */
  eventSources?: string[]
  eventNames?: string[]
  /** Calls AWS services make on their own are skipped unless the pattern names actor.service. */
  includesServiceActors: boolean
  document: RuleDocument
}

/** Where an exception is written, for messages: file:line (the file alone when the line is not known). */
export const exceptionLocation = (rule: Pick<CompiledRule, 'file'>, e: CompiledException): string => (e.line === undefined ? rule.file : `${rule.file}:${e.line}`)

const literalStrings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v) : undefined

/** The value at a top-level field of a pattern, whether written dotted (a.b) or nested. */
function topLevelField(match: Record<string, unknown>, path: [string, string?]): unknown {
  const [first, second] = path
  if (second === undefined) return match[first]
  if (Object.hasOwn(match, `${first}.${second}`)) return match[`${first}.${second}`]
  const parent = match[first]
  return parent !== null && typeof parent === 'object' && !Array.isArray(parent) ? (parent as Record<string, unknown>)[second] : undefined
}

function checkFieldPath(path: string, at: Problem['path'], problems: Problem[]): void {
  const first = firstPart(path, '.')
  const second = path.split('.')[1]
  if (!RULE_FIELDS.topLevel.has(first)) problems.push(problem(at, `unknown field '${first}'${didYouMean(first, RULE_FIELDS.topLevel)}`))
  const closed = lookup(RULE_FIELDS.closed, first)
  if (closed && second !== undefined && !closed.has(second))
    problems.push(problem(at, `unknown field '${path}'${didYouMean(second, closed).replace(/'(\w+)'\?$/, `'${first}.$1'?`)}`, `${first} has: ${[...closed].join(', ')}`))
}

/**
 * One rule document (already parsed from YAML) → a compiled rule, or every problem with its path.
 * Pure: the caller reads the file and places the problems.
 */
export function compileRule(
  value: unknown,
  { file, expectedId, lists }: { file: string, expectedId: string, lists: Lists },
): { rule?: CompiledRule, problems: Problem[] } {
  const parsed = ruleSchema.safeParse(value)
  if (!parsed.success) {
    return { problems: schemaProblems(parsed.error, value, (p) => schemaKeysAt(ruleSchema, p)) }
  }
  const doc = parsed.data
  const problems: Problem[] = []
  if (doc.id !== expectedId) problems.push(problem(['id'], `id '${doc.id}' differs from the file name '${expectedId}.yaml'`, `rename the file or set id: ${expectedId}`))

  const ctx: OperatorContext = { lists, extensions: new Set(), problems }
  const match = compilePattern(doc.match, ['match'], ctx, { fields: RULE_FIELDS, dottedKeys: true })
  const exceptions: CompiledException[] = []
  doc.unless.forEach((u, index) => {
    const node = compilePattern(u.match, ['unless', index, 'match'], ctx, { fields: RULE_FIELDS, dottedKeys: true })
    if (!node) return
    const e: CompiledException = { index, reason: u.reason, match: node }
    if (u.expires) {
      const t = Date.parse(`${u.expires}T00:00:00Z`)
      if (Number.isNaN(t)) problems.push(problem(['unless', index, 'expires'], `'${u.expires}' is not a real date`))
      e.expiry = { date: u.expires, endsAt: t + 86_400_000 }
    }
    exceptions.push(e)
  })
  const escalations: CompiledRule['escalations'] = []
  doc.escalate.forEach((e, index) => {
    const node = compilePattern(e.match, ['escalate', index, 'match'], ctx, { fields: RULE_FIELDS, dottedKeys: true })
    if (node) escalations.push({ severity: e.severity, match: node })
  })
  if (doc.dedup) doc.dedup.by.forEach((path, i) => { checkFieldPath(path, ['dedup', 'by', i], problems) })
  if (problems.length > 0 || !match) return { problems }

  const rule: CompiledRule = {
    id: doc.id,
    file,
    title: doc.title,
    severity: doc.severity,
    description: doc.description,
    tags: doc.tags,
    mode: doc.mode,
    match,
    exceptions,
    escalations,
    tests: doc.tests,
    extensions: [...ctx.extensions].sort(),
    includesServiceActors: topLevelField(doc.match, ['actor', 'service']) !== undefined,
    document: doc,
  }
  const sources = literalStrings(topLevelField(doc.match, ['eventSource']))
  const names = literalStrings(topLevelField(doc.match, ['eventName']))
  if (sources) rule.eventSources = sources
  if (names) rule.eventNames = names
  if (doc.runbook) rule.runbook = doc.runbook
  if (doc.references) rule.references = doc.references
  if (doc.falsePositives) rule.falsePositives = doc.falsePositives
  if (doc.notify) rule.notify = doc.notify
  if (doc.dedup) rule.dedup = { by: doc.dedup.by, windowMs: durationMs(doc.dedup.window) }
  return { rule, problems }
}
