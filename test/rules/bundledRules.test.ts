import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadRules } from '../../src/config/loadRules.js'
import { readEvents } from '../../src/core/intake/readEvents.js'
import type { CompiledRule } from '../../src/core/rules/engine/compileRule.js'
import { evaluate } from '../../src/core/rules/engine/evaluate.js'
import type { RuleSet } from '../../src/core/rules/engine/ruleSet.js'
import { fixturePaths, fixtureText } from '../support/fixtures.js'

// The ids users reference in exceptions and routes: exactly these, so a rename is a breaking change caught here.
const IDS = [
  'ecs-console-change-in-prod', 'ecs-mutation-without-mfa', 'ecs-root-activity', 'ecs-exec-session', 'ecs-exec-enabled',
  'ecs-privileged-container', 'ecs-host-namespace', 'ecs-sensitive-host-mount', 'ecs-added-capabilities',
  'ecs-plaintext-secret-in-env', 'ecs-credential-endpoint-in-command', 'ecs-untrusted-image-registry',
  'ecs-cryptomining-task-definition', 'ecs-admin-task-role', 'ecs-cluster-deleted', 'ecs-service-deleted-in-prod',
  'ecs-service-scaled-to-zero-in-prod', 'ecs-public-ip-in-prod', 'ecs-task-run-by-human-in-prod', 'ecs-service-created',
  'ecs-container-insights-disabled', 'ecs-account-setting-changed', 'ecs-capacity-provider-removed',
  'ecs-cluster-in-unapproved-region', 'ecs-access-denied',
  // Rules on the change context (issue 20).
  'ecs-image-changed-to-untrusted-registry', 'ecs-revision-adds-privileged-or-host-mount', 'ecs-desired-count-halved-in-prod',
  'ecs-exec-switched-on',
]

let ruleSet: RuleSet
let settings: Awaited<ReturnType<typeof loadRules>>['settings']
beforeAll(async () => {
  const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
  ruleSet = bundle.ruleSet
  settings = bundle.settings
})

describe('the bundled rule pack', () => {
  it('has exactly the 29 documented ids', () => {
    expect(ruleSet.rules.map((r) => r.id).sort()).toEqual([...IDS].sort())
  })

  it.each(IDS)('%s is documented and tested', (id) => {
    const rule = ruleSet.rules.find((r) => r.id === id) as CompiledRule
    expect(rule.description.length).toBeGreaterThan(40)
    expect(rule.runbook?.length).toBeGreaterThan(20)
    expect(rule.falsePositives).toBeDefined()
    expect(rule.tags.length).toBeGreaterThan(0)
    expect(rule.tests.some((t) => t.expect === 'match')).toBe(true)
    expect(rule.tests.some((t) => t.expect === 'no-match')).toBe(true)
    expect(readFileSync('rules/README.md', 'utf8')).toContain(`| \`${id}\` | ${rule.severity}`)
  })

  it('never fires on calls AWS services make on their own', () => {
    const autoscaling = readEvents(fixtureText('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_AWSServiceRoleForApplicationAutoScaling_service.json'), settings).events[0]!
    expect(autoscaling.context.actor.service).toBe(true)
    expect(evaluate(ruleSet, autoscaling, Date.now()).matched).toEqual([])
  })

  it('stays quiet on every read-only record of the corpus', () => {
    for (const path of fixturePaths('corpus')) {
      for (const event of readEvents(fixtureText(path), settings, { maxBodyBytes: 4 * 1024 * 1024, maxDepth: 64 }).events) {
        if (event.context.mutating || event.record.errorCode !== undefined) continue
        expect(evaluate(ruleSet, event, Date.now()).matched.map((m) => m.rule.id), path).toEqual([])
      }
    }
  })
})
