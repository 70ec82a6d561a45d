import { PassThrough } from 'node:stream'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runAthenaAudit } from '../../src/commands/auditAthena.js'
import { ATHENA_MINIMUM_BYTES, athenaCost, athenaTarget } from '../../src/commands/athenaTarget.js'
import { createAthenaClient } from '../../src/commands/clients.js'
import { auditQuery } from '../../src/core/sql/auditQuery.js'
import { startAthenaDouble } from '../support/athenaDouble.js'
import { runCli } from '../support/captureIO.js'
import { bundledRules, CORPUS, recordsIn, RULE_FIXTURES, ruleTestRecords } from '../support/sqlAgreement.js'

let rules: Awaited<ReturnType<typeof bundledRules>>
let double: Awaited<ReturnType<typeof startAthenaDouble>> | undefined
beforeAll(async () => {
  rules = await bundledRules()
})
afterEach(async () => {
  await double?.close()
  double = undefined
})

const envFor = (endpoint: string) => ({ AWS_ENDPOINT_URL_ATHENA: endpoint, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' })
const cli = (argv: string[], endpoint: string) => runCli(['audit', '--engine', 'athena', '--config', 'trailwarden.example.yaml', ...argv], envFor(endpoint))

describe('audit --engine athena, against the Athena double (the SQL runs on DuckDB over a CloudTrail-shaped table)', () => {
  it('returns the (event, rule) pairs the engine matches, for every rule Athena can run', async () => {
    const records = [...recordsIn(CORPUS), ...recordsIn(RULE_FIXTURES), ...ruleTestRecords(rules)]
    double = await startAthenaDouble(records, { pageSize: 7 })
    const { code, stdout, stderr } = await cli(['--format', 'ndjson'], double.endpoint)
    const refused = [...stderr.matchAll(/^refused for SQL: ([\w-]+):/gm)].map((m) => m[1] ?? '')
    // The regex rules (Athena's regex is not RE2) and the rules on change.* (before → after needs earlier events).
    expect(refused.sort()).toEqual(['ecs-cryptomining-task-definition', 'ecs-desired-count-halved-in-prod', 'ecs-exec-switched-on', 'ecs-image-changed-to-untrusted-registry', 'ecs-plaintext-secret-in-env', 'ecs-revision-adds-privileged-or-host-mount'])
    const pairs = stdout.trim().split('\n').map((l) => JSON.parse(l) as { event_id: string, rule_id: string }).map((r) => `${r.event_id} ${r.rule_id}`).sort()
    expect(pairs).toEqual(rules.engineMatches(records, refused))
    expect(pairs.length).toBeGreaterThan(30)
    expect(code).toBe(1)
    // The SDK's own requests: AWS JSON 1.1 with these targets (paging: several GetQueryResults).
    expect(double.targets).toContain('AmazonAthena.StartQueryExecution')
    expect(double.targets).toContain('AmazonAthena.GetQueryExecution')
    expect(double.targets.filter((t) => t === 'AmazonAthena.GetQueryResults').length).toBeGreaterThan(3)
    expect(stderr).toMatch(/athena: 1 query \([0-9a-f-]+\), [\d.]+ MB scanned, about USD [\d.]+ at USD 5\/TB/)
  })

  it('sends the workgroup, the database and the output location it is given', async () => {
    double = await startAthenaDouble(recordsIn(RULE_FIXTURES))
    const { code } = await cli(['--workgroup', 'trailwarden-audit', '--database', 'default', '--output-location', 's3://results-bucket/audit/', '--rule', 'ecs-cluster-deleted', '--format', 'csv'], double.endpoint)
    expect(code).toBe(1)
    const [e] = [...double.executions.values()]
    expect(e?.workGroup).toBe('trailwarden-audit')
    expect(e?.database).toBe('default')
    expect(e?.outputLocation).toBe('s3://results-bucket/audit/')
    expect(e?.sql).toContain('FROM "default"."cloudtrail_logs"')
  })

  it('shows a FAILED query\'s reason and exits 2', async () => {
    double = await startAthenaDouble([], { failWith: 'TABLE_NOT_FOUND: line 1:15: Table \'awsdatacatalog.default.cloudtrail_logs\' does not exist' })
    const { code, stderr } = await cli(['--rule', 'ecs-cluster-deleted'], double.endpoint)
    expect(code).toBe(2)
    expect(stderr).toMatch(/query [0-9a-f-]+ FAILED: TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.cloudtrail_logs' does not exist/)
  })

  it('rides out throttling (the SDK retries a ThrottlingException)', async () => {
    double = await startAthenaDouble(recordsIn(RULE_FIXTURES), { throttleFirst: 1 })
    const { code, stdout } = await cli(['--rule', 'ecs-cluster-deleted', '--format', 'csv'], double.endpoint)
    expect(code).toBe(1)
    expect(stdout.split('\n')[0]).toBe('rule_id,severity,event_id,event_time,event_source,event_name,account,region,actor_arn,actor_name,ecs_cluster,ecs_service')
    expect(stdout).toContain('ecs-cluster-deleted,high,')
  })

  it('stops the running query (StopQueryExecution) when interrupted', async () => {
    double = await startAthenaDouble(recordsIn(RULE_FIXTURES), { pollsBeforeDone: 1_000_000 })
    const query = auditQuery(rules.ruleSet.rules, { dialect: 'athena', table: '"default"."cloudtrail_logs"', lists: rules.lists, settings: rules.normaliseOptions })
    const abort = new AbortController()
    const progress = new PassThrough()
    let polled = 0
    // Interrupt once the query has been seen running (the second poll), as Ctrl-C would.
    const watch = setInterval(() => {
      polled = double?.targets.filter((t) => t === 'AmazonAthena.GetQueryExecution').length ?? 0
      if (polled >= 2) abort.abort()
    }, 5)
    const outcome = await runAthenaAudit(createAthenaClient(envFor(double.endpoint)), query, athenaTarget({}), () => undefined, progress, abort.signal, 5)
    clearInterval(watch)
    expect(outcome).toEqual({ error: expect.stringMatching(/^athena: query [0-9a-f-]+ stopped \(interrupted\)$/) as unknown })
    expect(double.stopped).toHaveLength(1)
    expect([...double.executions.values()][0]?.state).toBe('CANCELLED')
  })

  it('prices the bytes scanned at USD 5 per TB with Athena\'s 10 MB minimum', () => {
    expect(athenaCost(0)).toBeCloseTo((ATHENA_MINIMUM_BYTES / 1e12) * 5, 12)
    expect(athenaCost(2e12)).toBe(10)
  })
})
