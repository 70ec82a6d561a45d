import { createChangeTracker } from '../../change/createChangeTracker.js'
import { readEvents } from '../../intake/readEvents.js'
import { DEFAULT_SETTINGS, type NormaliseSettings } from '../../intake/settings.js'
import type { NormalisedEvent } from '../../intake/types.js'
import { type CompiledRule, type DatedException, exceptionLocation } from '../engine/compileRule.js'
import { explainRule, type Verdict } from '../engine/evaluate.js'
import type { RuleTestCase } from '../language/ruleSchema.js'
import type { RuleSet } from '../engine/ruleSet.js'
import { shortJson } from '../language/shortJson.js'
import { splitLast } from '../../split.js'

export type CaseResult =
  | { rule: CompiledRule, name: string, status: 'passed', passed: true, reason?: undefined }
  /** `reason`: why it failed — what happened instead, and the first field that decided it. */
  | { rule: CompiledRule, name: string, status: 'failed', passed: false, reason: string }
  /**
   * A `suppressed` case without `at:` whose exceptions have all expired; it passed on the last day one of them
   * applied. Yesterday's valid rule set stays valid: the expiry is a warning to act on, not a failed test. Neither
   * passed nor failed; `lapsed` is the exception that suppressed the event until it expired.
   */
  | { rule: CompiledRule, name: string, status: 'lapsed', passed: false, reason: string, lapsed: DatedException }

export interface RuleTestReport {
  cases: CaseResult[]
  /** Rules without at least one `match` and one `no-match` case. */
  untested: Array<{ rule: CompiledRule, missing: string[] }>
  passed: number
  /** Failed cases plus untested rules. Lapsed cases are not failures. */
  failed: number
  lapsed: number
}

/**
 * The test event files, already read by the caller (the config layer reads them while loading the rules): a lookup,
 * so running the tests does no I/O.
 */
export interface EventFiles {
  /** The text of the file `relative` names from the rule file `ruleFile` (as the rule set shows it); undefined when it was not read. */
  get(ruleFile: string, relative: string): string | undefined
}

export interface RuleTestOptions {
  eventFiles: EventFiles
  settings?: NormaliseSettings
  now: number
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Change fields by dotted path; null removes the field. */
function applySet(target: Record<string, unknown>, set: Record<string, unknown>): void {
  for (const [path, value] of Object.entries(set)) {
    const { init, last } = splitLast(path, '.')
    if ([...init, last].some((p) => UNSAFE_KEYS.has(p) || p === '')) throw new Error(`set: '${path}' is not a usable field path`)
    let node = target
    for (const part of init) {
      const next = node[part]
      node = next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : (node[part] = {})
    }
    if (value === null) Reflect.deleteProperty(node, last)
    else node[last] = value
  }
}

function eventFile(rule: CompiledRule, relative: string, options: RuleTestOptions): string {
  const text = options.eventFiles.get(rule.file, relative)
  if (text === undefined) throw new Error(`test event file '${relative}' was not read (trailwarden validate says why)`)
  return text
}

/**
 * The case's event, its change (core/change) derived as the daemon derives it: from the record and the state the
 * case's `previous` events left, read in order through one offline tracker. No ECS call is ever made here.
 */
function testEvent(rule: CompiledRule, c: RuleTestCase, options: RuleTestOptions): NormalisedEvent {
  const tracker = createChangeTracker()
  for (const earlier of c.previous ?? []) tracker.apply(readTestEvent(rule, earlier, options))
  const event = readTestEvent(rule, c.event, options)
  tracker.apply(event)
  return event
}

function readTestEvent(rule: CompiledRule, spec: RuleTestCase['event'], options: RuleTestOptions): NormalisedEvent {
  let text: string
  if (typeof spec === 'string') text = eventFile(rule, spec, options)
  else if (typeof spec.base === 'string') {
    const base = JSON.parse(eventFile(rule, spec.base, options)) as Record<string, unknown>
    const isEnvelope = typeof base['detail-type'] === 'string' && base.detail !== null && typeof base.detail === 'object'
    if (spec.set) applySet(isEnvelope ? (base.detail as Record<string, unknown>) : base, spec.set as Record<string, unknown>)
    text = JSON.stringify(base)
  } else text = JSON.stringify(spec)
  const { events, rejections } = readEvents(text, options.settings ?? DEFAULT_SETTINGS, { maxBodyBytes: 16 * 1024 * 1024, maxDepth: 64 })
  const [rejection] = rejections
  if (rejection) throw new Error(`the test event cannot be read: ${rejection.message}`)
  const [event, ...more] = events
  if (!event || more.length > 0) throw new Error(`a test event must hold exactly one record (it holds ${events.length})`)
  return event
}

const short = (v: unknown) => shortJson(v)

const OUTCOME = { 'matched': 'match', 'not-matched': 'no-match', 'suppressed': 'suppressed' } as const

/** What happened instead of the expected outcome, and the first field that decided it. */
function whyNot(verdict: Verdict): string {
  switch (verdict.outcome) {
    case 'not-matched':
      return `${verdict.mismatch.field} was ${short(verdict.mismatch.actual)}, the rule wants ${short(verdict.mismatch.expected)}`
    case 'suppressed':
      return `suppressed by exception "${verdict.exception.reason}"`
    case 'matched':
      return 'every field matched'
  }
}

/** `exception "reason" expired on DATE, file:line`: what a lapsed case names. */
export const lapsedReason = (rule: CompiledRule, e: DatedException): string =>
  `exception "${e.reason}" expired on ${e.expiry.date}, ${exceptionLocation(rule, e)}`

/**
 * A `suppressed` case names no `at:` so that it holds while its exceptions are in force: when every exception that
 * would suppress the event has expired, the case is evaluated again at the last instant the latest-expiring one
 * applied. Suppressed then, it has lapsed (the exception did its job until its date); anything else still fails.
 * The exception that suppressed then is one of those expired now (one without an expiry would suppress now too).
 */
function lapsedAt(rule: CompiledRule, c: RuleTestCase, event: NormalisedEvent, verdict: Verdict): DatedException | undefined {
  if (c.at !== undefined || c.expect !== 'suppressed' || verdict.outcome !== 'matched' || verdict.expiredExceptions.length === 0) return undefined
  const lastApplied = Math.max(...verdict.expiredExceptions.map((e) => e.expiry.endsAt)) - 1
  const then = explainRule(rule, event, lastApplied)
  return then.outcome === 'suppressed' ? verdict.expiredExceptions.find((e) => e === then.exception) : undefined
}

/** Run every rule's test cases. Pure: the event files come already read. */
export function runRuleTests(ruleSet: RuleSet, options: RuleTestOptions): RuleTestReport {
  const cases: CaseResult[] = []
  const untested: RuleTestReport['untested'] = []
  for (const rule of ruleSet.rules) {
    const missing = (['match', 'no-match'] as const).filter((e) => !rule.tests.some((t) => t.expect === e))
    if (missing.length > 0) untested.push({ rule, missing })
    rule.tests.forEach((c, i) => {
      const now = c.at ? Date.parse(`${c.at}T12:00:00Z`) : options.now
      try {
        const event = testEvent(rule, c, options)
        // env: pins the environment as at: pins the day, so a rule's tests do not depend on the config's accounts.
        if (c.env !== undefined) event.context.env = c.env
        const caseRule = rule.testRules?.get(i) ?? rule
        const verdict = explainRule(caseRule, event, now)
        const lapsed = lapsedAt(caseRule, c, event, verdict)
        if (lapsed) {
          cases.push({ rule, name: c.name, passed: false, status: 'lapsed', reason: lapsedReason(rule, lapsed), lapsed })
          return
        }
        const outcome = OUTCOME[verdict.outcome]
        if (outcome === c.expect && c.severity !== undefined && verdict.outcome === 'matched' && verdict.severity !== c.severity)
          cases.push({ rule, name: c.name, passed: false, status: 'failed', reason: `expected severity ${c.severity}, got ${verdict.severity}` })
        else if (outcome === c.expect) cases.push({ rule, name: c.name, passed: true, status: 'passed' })
        else cases.push({ rule, name: c.name, passed: false, status: 'failed', reason: `expected ${c.expect}, got ${outcome}: ${whyNot(verdict)}` })
      } catch (err) {
        cases.push({ rule, name: c.name, passed: false, status: 'failed', reason: (err as Error).message })
      }
    })
  }
  const failed = cases.filter((c) => c.status === 'failed').length + untested.length
  return { cases, untested, passed: cases.filter((c) => c.passed).length, failed, lapsed: cases.filter((c) => c.status === 'lapsed').length }
}
