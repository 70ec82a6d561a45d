import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cloudTrailFiles, loadDuckdb, runDuckdbAudit } from '../../src/commands/auditDuckdb.js'
import { runCli } from '../support/captureIO.js'
import { bundledRules, CORPUS, recordsIn, RULE_FIXTURES, ruleTestRecords } from '../support/sqlAgreement.js'

let dir: string
beforeAll(async () => {
  const rules = await bundledRules()
  dir = mkdtempSync(join(tmpdir(), 'tw-audit-'))
  // A bucket-shaped archive: AWSLogs/ACCOUNT/CloudTrail/REGION/yyyy/MM/dd/*.json.gz, records split over three files.
  const records = [...recordsIn(CORPUS), ...recordsIn(RULE_FIXTURES), ...ruleTestRecords(rules)]
  const day = join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'eu-west-1', '2026', '11', '02')
  mkdirSync(day, { recursive: true })
  for (let i = 0; i < 3; i++) {
    const part = records.filter((_r, j) => j % 3 === i)
    writeFileSync(join(day, `111122223333_CloudTrail_eu-west-1_20261102T10${i}0Z_part${i}.json.gz`), gzipSync(JSON.stringify({ Records: part })))
  }
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** The rules on change.* (before → after from earlier events): refused for SQL, so not in the comparison. */
const CHANGE_RULES = new Set(['ecs-desired-count-halved-in-prod', 'ecs-exec-switched-on', 'ecs-image-changed-to-untrusted-registry', 'ecs-revision-adds-privileged-or-host-mount'])
/**
 * Each alert whole, but for its `changes` lines: replay derives them from the earlier records of the run, while audit
 * decides each row on its own (SQL rows carry no order), so audit's alerts have no "Changed" section.
 */
const alertKeys = (ndjson: string) =>
  ndjson.trim().split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as { ruleId: string, changes?: unknown })
    .filter((a) => !CHANGE_RULES.has(a.ruleId)).map((a) => JSON.stringify({ ...a, changes: undefined })).sort()

describe('audit DIR (DuckDB, the default for paths)', () => {
  it('prints the alerts replay prints over the same bucket-shaped archive', async () => {
    const config = ['--config', 'trailwarden.example.yaml']
    const audit = await runCli(['audit', dir, ...config, '--format', 'ndjson'])
    const replay = await runCli(['replay', dir, ...config, '--format', 'ndjson'])
    expect(audit.stderr).toMatch(/duckdb: 3 files, 25 rules as SQL \(4 refused\)/)
    expect(alertKeys(audit.stdout)).toEqual(alertKeys(replay.stdout))
    expect(alertKeys(audit.stdout).length).toBeGreaterThan(30)
    expect(audit.code).toBe(1)
  })

  it('writes CSV and Markdown rows, one per (event, rule), values from events escaped', async () => {
    const csv = await runCli(['audit', dir, '--config', 'trailwarden.example.yaml', '--format', 'csv', '--rule', 'ecs-cluster-deleted,ecs-root-activity'])
    const lines = csv.stdout.trim().split('\n')
    expect(lines[0]).toBe('rule_id,severity,event_id,event_time,event_source,event_name,account,region,actor_arn,actor_name,ecs_cluster,ecs_service')
    expect(lines.slice(1).every((l) => /^ecs-(cluster-deleted|root-activity),/.test(l))).toBe(true)
    const md = await runCli(['audit', dir, '--config', 'trailwarden.example.yaml', '--format', 'markdown', '--rule', 'ecs-cluster-deleted'])
    expect(md.stdout.split('\n')[1]).toMatch(/^\|( --- \|)+$/)
  })

  it('--region filters the records for every engine, as it chooses the regions of Event history; all is every region', async () => {
    const config = ['--config', 'trailwarden.example.yaml', '--format', 'csv']
    const rows = (stdout: string) => stdout.trim().split('\n').slice(1)
    const every = rows((await runCli(['audit', dir, ...config])).stdout)
    const east = rows((await runCli(['audit', dir, ...config, '--region', 'us-east-1'])).stdout)
    expect(east.length).toBeGreaterThan(0)
    expect(east.length).toBeLessThan(every.length)
    expect(east.every((line) => line.split(',')[7] === 'us-east-1')).toBe(true)
    expect(rows((await runCli(['audit', dir, ...config, '--region', 'all'])).stdout)).toEqual(every)
  })

  it('refuses a folder without CloudTrail files, and an unknown rule', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tw-empty-'))
    const none = await runCli(['audit', empty, '--config', 'trailwarden.example.yaml'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('no CloudTrail log files')
    const unknown = await runCli(['audit', dir, '--config', 'trailwarden.example.yaml', '--rule', 'no-such-rule'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no rule with id \'no-such-rule\'')
    rmSync(empty, { recursive: true })
  })

  it('reads each record as the file holds it: JSON null apart from absent, numbers and text unchanged, files without Records empty', async () => {
    const duckdb = await loadDuckdb()
    if (!duckdb) throw new Error('DuckDB is a dev dependency')
    const folder = mkdtempSync(join(tmpdir(), 'tw-records-'))
    const records = [
      { eventID: 'a', errorCode: null, readOnly: false, n: 2 ** 80, x: 1.5e300, nested: [1, [2, [3]]], o: {}, s: 'é😀 "q" \\' },
      { eventID: 'b', requestParameters: { cluster: 'prod-web' } },
    ]
    writeFileSync(join(folder, 'one.json.gz'), gzipSync(`{"Records":${JSON.stringify(records)}}`))
    writeFileSync(join(folder, 'empty.json'), '{"Records":[]}')
    // A CloudTrail digest file has no Records.
    writeFileSync(join(folder, 'digest.json.gz'), gzipSync('{"digestStartTime":"2026-11-02T10:00:00Z"}'))
    const read = async (files: string[]) => {
      const got: string[] = []
      const sql = 'SELECT CAST(record AS VARCHAR) AS record FROM cloudtrail_records ORDER BY record'
      await runDuckdbAudit(duckdb, files, { statements: [{ rules: [], sql }], compiled: [], refused: [] }, (row) => got.push(row.record ?? ''))
      return got
    }
    expect((await read(await cloudTrailFiles([folder]))).map((r) => JSON.parse(r) as unknown)).toEqual(records)
    // A top level that is not an object is an error that names the file (replay reports the file damaged).
    writeFileSync(join(folder, 'number.json'), '5')
    await expect(read(await cloudTrailFiles([folder]))).rejects.toThrow(/number\.json/)
    rmSync(folder, { recursive: true })
  })

  it('loads DuckDB only when asked, from the optional dependency', async () => {
    expect((await loadDuckdb())?.DuckDBInstance).toBeDefined()
  })
})
