import { describe, expect, it } from 'vitest'
import { loadRules } from '../../../../src/config/loadRules.js'

const { ruleSet } = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })

describe('the rule-set index cache is bounded in bytes (issue 16: invented event names)', () => {
  it('answers every (eventSource, eventName) pair, and keeps under 2 MiB whatever names arrive', () => {
    const runTask = ruleSet.preparedFor('ecs.amazonaws.com', 'RunTask').map((p) => p.rule.id)
    expect(runTask).toContain('ecs-task-run-by-human-in-prod')
    const anyCall = ruleSet.preparedFor('ecs.amazonaws.com', 'NoSuchCall').length
    for (let i = 0; i < 3000; i++) expect(ruleSet.preparedFor('ecs.amazonaws.com', `${String(i)}${'N'.repeat(100_000)}`)).toHaveLength(anyCall)
    expect(ruleSet.retainedBytes()).toBeLessThan(64 * 1024)
    for (let i = 0; i < 10_000; i++) ruleSet.preparedFor('ecs.amazonaws.com', `Invented${String(i).padStart(300, '0')}`)
    expect(ruleSet.retainedBytes()).toBeGreaterThan(1024 * 1024)
    expect(ruleSet.retainedBytes()).toBeLessThanOrEqual(2 * 1024 * 1024)
    expect(ruleSet.preparedFor('ecs.amazonaws.com', 'RunTask').map((p) => p.rule.id)).toEqual(runTask)
  })

  it('does not confuse a source holding a newline with another pair', () => {
    expect(ruleSet.preparedFor('ecs.amazonaws.com\nRunTask', '').map((p) => p.rule.id)).not.toContain('ecs-task-run-by-human-in-prod')
  })
})
