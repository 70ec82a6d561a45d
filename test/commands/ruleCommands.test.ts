import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/captureIO.js'

const env = { TRAILWARDEN_CONFIG: 'trailwarden.example.yaml' }

describe('trailwarden test', () => {
  it('runs the bundled rules\' tests and ends with the N passed, N failed line', async () => {
    const { code, stdout } = await runCli(['test'], env)
    expect(stdout).toMatch(/^\d+ passed, 0 failed\n$/m)
    expect(code).toBe(0)
  })

  it('reports a failing case with its reason, and a rule without both kinds of case', async () => {
    const { code, stdout } = await runCli(['test', '--rules', 'test/fixtures/rules-failing-tests'], env)
    expect(code).toBe(1)
    expect(stdout).toContain(
      'FAIL test/fixtures/rules-failing-tests/wrong-expectation.yaml wrong-expectation › console UpdateService: expected no-match, got match: every field matched',
    )
    expect(stdout).toContain(
      'FAIL test/fixtures/rules-failing-tests/wrong-expectation.yaml wrong-expectation › CLI call: expected match, got no-match: actor.console was false, the rule wants [true]',
    )
    expect(stdout).toContain('FAIL test/fixtures/rules-failing-tests/only-match.yaml only-match: no no-match test case — add one under tests:')
    expect(stdout.trimEnd().split('\n').pop()).toBe('1 passed, 3 failed')
  })
})

describe('trailwarden explain', () => {
  it('says per rule whether the event matched, was suppressed, or which field failed', async () => {
    const { code, stdout } = await runCli(['explain', 'rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json'], env)
    expect(code).toBe(0)
    expect(stdout).toContain('UpdateService at 2026-11-02T10:03:07Z by alice@example.com (AssumedRole, via console, MFA) in 111122223333/eu-west-1 env prod')
    expect(stdout).toMatch(/ {2}matched {6}ecs-console-change-in-prod \(high\): ECS change made from the AWS console in production/)
    expect(stdout).toContain('  not matched  ecs-exec-session: eventName is "UpdateService", the rule wants ["ExecuteCommand"]')
  })

  it('--rule narrows to one rule; --format json is machine-readable', async () => {
    const { stdout } = await runCli(['explain', 'rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json', '--rule', 'ecs-exec-session', '--format', 'json'], env)
    const [first] = JSON.parse(stdout) as Array<{ eventName: string, rules: Array<{ id: string, outcome: string }> }>
    expect(first?.rules).toEqual([{ id: 'ecs-exec-session', outcome: 'matched' }])
  })

  it('explains why an unreadable event cannot be read', async () => {
    const { code, stderr } = await runCli(['explain', 'test/fixtures/corpus/other__autoscaling_Insight_CompleteLifecycleAction__awsdocs.json'], env)
    expect(code).toBe(2) // not an event: bad input, a usage error by the exit-code convention
    expect(stderr).toContain('cannot read: a CloudTrail Insights record')
  })
})

describe('trailwarden schema and pattern', () => {
  it('the committed JSON Schemas are current (regenerate with trailwarden schema)', async () => {
    expect((await runCli(['schema'])).stdout).toBe(readFileSync('schema/rule.schema.json', 'utf8'))
    expect((await runCli(['schema', '--config-schema'])).stdout).toBe(readFileSync('schema/config.schema.json', 'utf8'))
  })

  it('prints the bus pattern for the rule set', async () => {
    const { stdout } = await runCli(['pattern', '--rules', 'test/fixtures/rules-failing-tests'], env)
    expect(JSON.parse(stdout)).toEqual({
      'source': ['aws.ecs'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': { eventSource: ['ecs.amazonaws.com'], eventName: ['RunTask', 'UpdateService'] },
    })
  })
})

describe('the command line', () => {
  it('--help lists the commands; an unknown command exits 2', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    for (const verb of ['demo', 'validate', 'test', 'explain', 'schema', 'pattern']) expect(help.stdout).toContain(`  ${verb}`)
    expect((await runCli(['frobnicate'])).code).toBe(2)
    const verbHelp = await runCli(['validate', '--help'])
    expect(verbHelp.stdout).toContain('Usage: trailwarden validate [--rules DIR] [--config FILE]')
  })
})

describe('deploy/ stays in step with the rules', () => {
  it('deploy/lib/eventPattern.json is what trailwarden pattern prints for the bundled rules (npm run pattern:deploy rewrites it)', async () => {
    const { stdout } = await runCli(['pattern'], env)
    expect(JSON.parse(readFileSync('deploy/lib/eventPattern.json', 'utf8'))).toEqual(JSON.parse(stdout))
  })
})
