import { describe, expect, it } from 'vitest'
import { runCli } from '../support/captureIO.js'

const config = ['--config', 'trailwarden.example.yaml']

describe('trailwarden sql', () => {
  it('--explain lists what compiles and what is refused for Athena, with the field and the reason (exit 1)', async () => {
    const { code, stdout } = await runCli(['sql', '--explain', ...config])
    expect(code).toBe(1)
    expect(stdout).toContain('23 rules compile to athena SQL; 6 refused')
    expect(stdout).toMatch(/refused: {2}ecs-exec-switched-on: change: change\.\* compares a resource with its state before the call/)
    expect(stdout).toMatch(/refused: {2}ecs-plaintext-secret-in-env: requestParameters\.containerDefinitions\.environment\.name\.regex: Athena's regexp_like/)
  })

  it('compiles every bundled rule for DuckDB but the four on change.* (named on stderr, exit 1), one statement for the set', async () => {
    const { code, stdout, stderr } = await runCli(['sql', '--dialect', 'duckdb', ...config])
    expect(code).toBe(1)
    expect(stderr.match(/^refused for SQL: .*: change: /gm)).toHaveLength(4)
    expect(stdout.match(/^-- trailwarden: /gm)).toHaveLength(1)
    expect(stdout).toContain('FROM cloudtrail_records')
  })

  it('puts --since/--until/--accounts/--regions into partition predicates on Athena', async () => {
    const { stdout } = await runCli(['sql', '--rule', 'ecs-cluster-deleted', '--since', '2026-01-01', '--until', '2026-02-01T00:00:00Z', '--accounts', '111122223333', '--regions', 'eu-west-1', ...config])
    expect(stdout).toContain('"timestamp" >= \'2026/01/01\'')
    expect(stdout).toContain('"timestamp" <= \'2026/02/01\'')
    expect(stdout).toContain('account IN (\'111122223333\')')
    expect(stdout).toContain('region IN (\'eu-west-1\')')
    expect(stdout).toContain('FROM "default"."cloudtrail_logs"')
  })

  it('refuses dates SQL would compare wrongly, and unknown rules (exit 2)', async () => {
    expect((await runCli(['sql', '--since', '1 Nov 2026', ...config])).code).toBe(2)
    expect((await runCli(['sql', '--rule', 'nope', ...config])).stderr).toContain('no rule with id \'nope\'')
    expect((await runCli(['sql', '--dialect', 'postgres', ...config])).code).toBe(2)
  })

  it('--ddl prints the CloudTrail table with partition projection, the organisation layout when asked', async () => {
    const { code, stdout } = await runCli(['sql', '--ddl', '--location', 's3://acme-trail', '--accounts', '111122223333,444455556666', '--regions', 'eu-west-1', '--organization-id', 'o-abc123def4'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS default\.cloudtrail_logs \(/)
    expect(stdout).toContain('PARTITIONED BY (account STRING, region STRING, `timestamp` STRING)')
    expect(stdout).toContain('\'storage.location.template\' = \'s3://acme-trail/AWSLogs/o-abc123def4/${account}/CloudTrail/${region}/${timestamp}\'')
    expect(stdout).toContain('\'projection.account.values\' = \'111122223333,444455556666\'')
    expect((await runCli(['sql', '--ddl', '--location', 'not-s3'])).code).toBe(2)
  })
})
