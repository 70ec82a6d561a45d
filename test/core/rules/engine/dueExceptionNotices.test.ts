import { describe, expect, it } from 'vitest'
import { compileRuleSet } from '../../../../src/core/rules/engine/compileRuleSet.js'
import { dueExceptionNotices } from '../../../../src/core/rules/engine/dueExceptionNotices.js'

const text = `id: r
title: r
severity: high
description: test rule
match: { eventName: [UpdateService] }
unless:
  - reason: migration
    expires: 2026-12-01
    match: { actor.name: [alice@example.com] }
  - reason: forever
    match: { actor.name: [bob@example.com] }
  - reason: far off
    expires: 2027-06-30
    match: { actor.name: [carol@example.com] }
`
const { ruleSet } = compileRuleSet([{ file: 'rules/r.yaml', text }])
const due = (when: string) => dueExceptionNotices(ruleSet!.rules, Date.parse(when)).map((n) => [n.exception.reason, n.kind, n.day, n.daysLeft])

describe('dueExceptionNotices: which exceptions are due a notice at a time (issue 18)', () => {
  // "migration" applies through 2026-12-01, so it stops applying at 2026-12-02T00:00Z; 14 days before is 2026-11-18T00:00Z.
  it.each([
    ['2026-11-17T23:59:59Z', []],
    ['2026-11-18T00:00:00Z', [['migration', 'expiring', '2026-11-18', 14]]],
    ['2026-11-25T09:00:00Z', [['migration', 'expiring', '2026-11-25', 7]]],
    ['2026-12-01T23:59:59Z', [['migration', 'expiring', '2026-12-01', 1]]],
    ['2026-12-02T00:00:00Z', [['migration', 'lapsed', '2026-12-02', undefined]]],
    ['2027-01-15T12:00:00Z', [['migration', 'lapsed', '2027-01-15', undefined]]],
    ['2027-06-20T12:00:00Z', [['migration', 'lapsed', '2027-06-20', undefined], ['far off', 'expiring', '2027-06-20', 11]]],
  ])('at %s', (when, expected) => {
    expect(due(when)).toEqual(expected)
  })

  it('one key per exception and kind: the days of the fortnight share one "expiring" key, the lapse has its own', () => {
    const keys = (when: string) => dueExceptionNotices(ruleSet!.rules, Date.parse(when)).map((n) => n.key)
    expect(keys('2026-11-25T01:00:00Z')).toEqual(keys('2026-11-26T23:00:00Z'))
    expect(keys('2026-11-25T23:00:00Z')).not.toEqual(keys('2026-12-03T01:00:00Z'))
  })

  it('an unusable clock is due nothing (never a throw)', () => {
    expect(dueExceptionNotices(ruleSet!.rules, Number.NaN)).toEqual([])
  })
})
