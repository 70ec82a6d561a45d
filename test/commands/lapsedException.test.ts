import { describe, expect, it } from 'vitest'
import { runCli } from '../support/captureIO.js'

// The fixture's exception applies through 2026-12-01 (its last day, UTC); the clock is injected, never the wall clock.
const RULES = ['--rules', 'test/fixtures/rules-lapsed-exception']
const FILE = 'test/fixtures/rules-lapsed-exception/console-change-with-exception.yaml'
const DAY_AFTER_EXPIRY = () => Date.parse('2026-12-02T09:00:00Z')
const WHILE_IN_FORCE = () => Date.parse('2026-11-10T09:00:00Z')
const LAPSED_LINE = `LAPSED ${FILE} console-change-with-exception › alice's console change is the migration (exception "the console migration runbook" expired on 2026-12-01, ${FILE}:10)`

describe('a rule set valid yesterday is valid today (issue 18)', () => {
  it('trailwarden test: the suppressed case of an exception that expired yesterday is LAPSED, not failed; the closing line stays exact', async () => {
    const { code, stdout } = await runCli(['test', ...RULES], {}, undefined, { now: DAY_AFTER_EXPIRY })
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toContain(LAPSED_LINE)
    expect(stdout).not.toContain('FAIL')
    expect(lines.slice(-2)).toEqual(['1 lapsed (an exception expired: extend or remove it)', '2 passed, 0 failed'])
    expect(code).toBe(0)
  })

  it('trailwarden test: while the exception is in force the case passes', async () => {
    const { code, stdout } = await runCli(['test', ...RULES], {}, undefined, { now: WHILE_IN_FORCE })
    expect(stdout.trimEnd().split('\n')).toEqual(['3 passed, 0 failed'])
    expect(code).toBe(0)
  })

  it('trailwarden validate: exit 0; the expired exception and the lapsed test are warnings with file:line', async () => {
    const { code, stdout } = await runCli(['validate', ...RULES], {}, undefined, { now: DAY_AFTER_EXPIRY })
    expect(stdout).toContain(`${FILE}:11:14 console-change-with-exception: warning: exception "the console migration runbook" expired on 2026-12-01: the events it suppressed alert again`)
    expect(stdout).toContain(`${FILE} console-change-with-exception: warning: test "alice's console change is the migration" lapsed: exception "the console migration runbook" expired on 2026-12-01, ${FILE}:10`)
    expect(stdout).not.toContain('let it lapse')
    expect(stdout.trimEnd().split('\n').pop()).toMatch(/^1 rule file, 1 valid rule: 0 errors, 2 warnings \(rule set \w+\)$/)
    expect(code).toBe(0)
  })
})
