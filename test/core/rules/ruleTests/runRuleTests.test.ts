import { describe, expect, it } from 'vitest'
import { compileRuleSet } from '../../../../src/core/rules/engine/compileRuleSet.js'
import { runRuleTests } from '../../../../src/core/rules/ruleTests/runRuleTests.js'
import { fixtureText } from '../../../support/fixtures.js'

const CONSOLE = 'BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json'
const eventFiles = { get: (_rule: string, relative: string) => fixtureText(`rules/ecs/fixtures/${relative}`) }

/** A console-change rule whose exceptions (YAML list items) suppress alice's console change, with one suppressed case. */
const ruleSet = (exceptions: string, caseExtra = '') => {
  const text = `id: r
title: r
severity: high
description: test rule
match: { eventName: [UpdateService], actor.console: [true] }
unless:
${exceptions}
tests:
  - name: alice is excepted
    event: ${CONSOLE}${caseExtra}
    expect: suppressed
`
  const { ruleSet: set, problems } = compileRuleSet([{ file: 'rules/r.yaml', text }])
  expect(problems).toEqual([])
  return set!
}
const alice = (reason: string, expires: string) => `  - reason: ${reason}\n    expires: ${expires}\n    match: { actor.name: [alice@example.com] }`
const bob = '  - reason: bob only\n    match: { actor.name: [bob@example.com] }'

describe('runRuleTests: a suppressed case is evaluated while its exception is in force (issue 18)', () => {
  it.each([
    ['before the expiry: passed', alice('migration', '2026-12-01'), '', '2026-11-30T12:00:00Z', 'passed', undefined],
    ['on the last day it applies: passed', alice('migration', '2026-12-01'), '', '2026-12-01T23:59:59Z', 'passed', undefined],
    ['the day after: lapsed, naming the exception and its line', alice('migration', '2026-12-01'), '', '2026-12-02T00:00:00Z', 'lapsed', 'exception "migration" expired on 2026-12-01, rules/r.yaml:7'],
    ['years after: still lapsed, never failed', alice('migration', '2026-12-01'), '', '2030-01-01T00:00:00Z', 'lapsed', 'exception "migration" expired on 2026-12-01, rules/r.yaml:7'],
    ['two expired exceptions: the one that applied last is named', `${alice('first', '2026-11-01')}\n${alice('second', '2026-11-20')}`, '', '2026-12-02T00:00:00Z', 'lapsed', 'exception "second" expired on 2026-11-20, rules/r.yaml:10'],
    ['one expired, one in force: passed', `${alice('first', '2026-11-01')}\n${alice('second', '2027-01-31')}`, '', '2026-12-02T00:00:00Z', 'passed', undefined],
    ['an explicit at: after the expiry is evaluated then and fails', alice('migration', '2026-12-01'), '\n    at: 2026-12-05', '2026-11-01T00:00:00Z', 'failed', 'expected suppressed, got match: every field matched'],
    ['no exception ever matched the event: failed', bob, '', '2026-12-02T00:00:00Z', 'failed', 'expected suppressed, got match: every field matched'],
  ])('%s', (_name, exceptions, caseExtra, when, status, reason) => {
    const report = runRuleTests(ruleSet(exceptions, caseExtra), { now: Date.parse(when), eventFiles })
    expect(report.cases.map((c) => [c.status, c.reason])).toEqual([[status, reason]])
    expect(report.failed).toBe((status === 'failed' ? 1 : 0) + 1) // + 1: the rule has no match / no-match case
    expect(report.lapsed).toBe(status === 'lapsed' ? 1 : 0)
    expect(report.passed).toBe(status === 'passed' ? 1 : 0)
  })
})
