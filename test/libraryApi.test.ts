import { describe, expect, it } from 'vitest'
import * as trailwarden from '../src/index.js'
import { fixtureText, repoRoot } from './support/fixtures.js'

describe('the library API (src/index.ts)', () => {
  it('exports what a tool built on trailwarden needs', () => {
    for (const name of ['matchesPattern', 'compileEventPattern', 'loadRules', 'loadRuleBundle', 'loadConfig', 'readEvents', 'evaluate', 'explain', 'decide', 'runRuleTests', 'busPattern'])
      expect(typeof (trailwarden as Record<string, unknown>)[name], name).toBe('function')
  })

  it('rules on disk, an event, one decision: the same steps the daemon takes', async () => {
    const bundle = await trailwarden.loadRuleBundle({ rulesDir: `${repoRoot}rules`, configPath: `${repoRoot}trailwarden.example.yaml` })
    expect(bundle.ruleSet).toBeDefined()
    const { config, settings } = bundle
    const { events } = trailwarden.readEvents(fixtureText('rules/ecs/fixtures/BUILT__ecs__DeleteCluster__Root_console_mfaTrue.json'), settings, { maxBodyBytes: 1 << 20, maxDepth: 64 })
    const decision = trailwarden.decide(events, {
      ruleSet: bundle.ruleSet!,
      routes: config.slack.routes,
      defaultChannel: config.slack.defaultChannel ?? 'stdout',
      accounts: config.accounts,
    }, { now: Date.now() })
    expect(decision.alerts.map((a) => a.alert.ruleId)).toContain('ecs-root-activity')
    expect(decision.alerts.every((a) => a.targets.length > 0)).toBe(true)
  })
})
