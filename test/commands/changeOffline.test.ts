import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/captureIO.js'
import { fixtureJson } from '../support/fixtures.js'

const env = { TRAILWARDEN_CONFIG: 'trailwarden.example.yaml' }
const F = 'rules/ecs/fixtures/'

/** An S3 CloudTrail log file holding these records, in this order. */
function logFile(...names: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'trailwarden-change-')), '111122223333_CloudTrail_eu-west-1_20261102T1000Z_change.json')
  writeFileSync(path, JSON.stringify({ Records: names.map((n) => fixtureJson(`${F}${n}.json`)) }))
  return path
}

describe('explain and replay show the change, derived offline from earlier records (no ECS call)', () => {
  const file = logFile('BUILT__ecs__UpdateService__AssumedRole_sso_console_prod', 'BUILT__ecs__UpdateService__AssumedRole_sso_console_scaleToZero_prod')

  it('explain prints the second UpdateService\'s desiredCount 3 → 0, and the rule on it matches', async () => {
    const { stdout } = await runCli(['explain', file, '--config', 'trailwarden.example.yaml'], env)
    expect(stdout).toContain('  changed  desiredCount 3 → 0')
    expect(stdout).toContain('matched      ecs-desired-count-halved-in-prod (high)')
  })

  it('replay prints it in the alert, and in JSON as the alert\'s changes', async () => {
    const text = await runCli(['replay', file, '--rule', 'ecs-service-scaled-to-zero-in-prod'], env)
    expect(text.stdout).toContain('  changed  desiredCount 3 → 0')
    const ndjson = await runCli(['replay', file, '--format', 'ndjson', '--rule', 'ecs-desired-count-halved-in-prod'], env)
    const alerts = ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ruleId: string, changes?: string[] })
    expect(alerts).toEqual([expect.objectContaining({ ruleId: 'ecs-desired-count-halved-in-prod', changes: ['desiredCount 3 → 0'] })])
  })
})
