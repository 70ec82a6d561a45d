import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/captureIO.js'
import { fixtureText } from '../support/fixtures.js'

const env = { TRAILWARDEN_CONFIG: 'trailwarden.example.yaml' }
const consoleChange = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json')) as Record<string, unknown>
const readOnly = JSON.parse(fixtureText('rules/ecs/fixtures/ecs__DescribeClusters__AssumedRole_readOnly__logicmonitor.json')) as Record<string, unknown>

/**
 * A generated CloudTrail archive in S3 layout: 40 log files of 100 records, half of them gzipped; every tenth record
 * is a console UpdateService in prod (400 in all), the rest read-only calls no rule cares about.
 */
let archive: string
beforeAll(() => {
  archive = mkdtempSync(join(tmpdir(), 'trailwarden-archive-'))
  for (let f = 0; f < 40; f++) {
    const records = Array.from({ length: 100 }, (_, i) => {
      const n = f * 100 + i
      const base = i % 10 === 0 ? consoleChange : readOnly
      return { ...base, eventID: `generated-${n}`, eventTime: new Date(Date.UTC(2026, 10, 1 + (n % 20), 12)).toISOString() }
    })
    const text = JSON.stringify({ Records: records })
    const name = `111122223333_CloudTrail_eu-west-1_20261101T12${String(f).padStart(2, '0')}Z_${f}.json`
    if (f % 2 === 0) writeFileSync(join(archive, `${name}.gz`), gzipSync(text))
    else writeFileSync(join(archive, name), text)
  }
  writeFileSync(join(archive, 'README.txt'), 'not an archive file: skipped inside folders')
})

describe('trailwarden replay', () => {
  it('streams a generated archive of 4,000 records in 40 files, gzip and plain', async () => {
    const { code, stdout, stderr } = await runCli(['replay', archive, '--format', 'ndjson', '--rule', 'ecs-console-change-in-prod'], env)
    expect(code).toBe(0)
    expect(stdout.trim().split('\n')).toHaveLength(400)
    expect(stderr).toContain('4000 records read from 40 bodies in 40 files')
    expect(stderr).toContain('ecs-console-change-in-prod: 400 (top actors: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com ×400)')
  })

  it('--since/--until and --limit narrow it', async () => {
    // Console changes fall on 1 and 11 November; every twentieth record is on the 11th.
    const { stdout, stderr } = await runCli(['replay', archive, '--format', 'ndjson', '--since', '2026-11-11', '--until', '2026-11-11T23:59:59Z', '--rule', 'ecs-console-change-in-prod'], env)
    expect(stdout.trim().split('\n')).toHaveLength(200)
    expect(stderr).toContain('(3800 outside --since/--until)')
    const limited = await runCli(['replay', archive, '--format', 'ndjson', '--limit', '7'], env)
    expect(limited.stdout.trim().split('\n')).toHaveLength(7)
  })

  it('reads the real S3 log files, envelopes and records of the corpus, and counts what it rejects', async () => {
    const { code, stderr } = await runCli(['replay', 'test/fixtures/corpus', '--format', 'json'], env)
    expect(code).toBe(0)
    expect(stderr).toBe('')
    const { stdout } = await runCli(['replay', 'test/fixtures/corpus/other__ssm_Insights_ApiCallRateInsight_pair__S3LogFile__awsdocs.json', 'test/fixtures/corpus/ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs.json', '--format', 'json'], env)
    const { alerts, summary } = JSON.parse(stdout) as { alerts: Array<{ ruleId: string }>, summary: { records: number, rejected: Record<string, number> } }
    expect(summary.records).toBe(1)
    expect(summary.rejected).toEqual({ 'not-an-api-call': 2 })
    expect(alerts.map((a) => a.ruleId)).toEqual(['ecs-mutation-without-mfa'])
  })

  it('names a damaged file and what is wrong, reads the others, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailwarden-damaged-'))
    const good = gzipSync(JSON.stringify({ Records: [consoleChange] }))
    writeFileSync(join(dir, 'a-good.json.gz'), good)
    writeFileSync(join(dir, 'b-truncated.json.gz'), good.subarray(0, Math.floor(good.length / 2)))
    writeFileSync(join(dir, 'c-invalid.json'), '{"Records": [ {"eventName": ')
    const line = JSON.stringify({ ...consoleChange, eventID: 'from-lines' })
    writeFileSync(join(dir, 'd-lines.jsonl.gz'), gzipSync(`${line}\n{"eventName": \n\n${line}\n`))
    const { code, stderr, stdout } = await runCli(['replay', dir, '--format', 'ndjson', '--rule', 'ecs-console-change-in-prod'], env)
    expect(code).toBe(1)
    expect(stderr).toContain(`${join(dir, 'b-truncated.json.gz')}: truncated gzip (unexpected end of file)`)
    expect(stderr).toContain(`${join(dir, 'c-invalid.json')}: body is not JSON`)
    expect(stderr).toContain(`${join(dir, 'd-lines.jsonl.gz')}:2: body is not JSON`)
    expect(stdout.trim().split('\n')).toHaveLength(3)
  })

  it('reads JSON lines from standard input', async () => {
    const lines = [consoleChange, readOnly, { ...consoleChange, eventID: 'second' }].map((r) => JSON.stringify(r)).join('\n')
    const { code, stdout } = await runCli(['replay', '-', '--format', 'ndjson', '--rule', 'ecs-console-change-in-prod'], env, lines)
    expect(code).toBe(0)
    expect(stdout.trim().split('\n').map((l) => (JSON.parse(l) as { eventId: string }).eventId)).toEqual(['5b1d3c9e-0000-4000-9000-000000000003', 'second'])
  })
})

describe('trailwarden backtest', () => {
  it('shows, as markdown for a pull request, what tightening a rule would change', async () => {
    const head = mkdtempSync(join(tmpdir(), 'trailwarden-head-'))
    cpSync('rules', head, { recursive: true })
    const path = join(head, 'ecs', 'ecs-console-change-in-prod.yaml')
    // Tightened: only deletions from the console count now.
    writeFileSync(path, readFileSync(path, 'utf8').replace('  mutating: [true]\n', '  mutating: [true]\n  eventName: [DeleteService]\n').replace(/tests:[\s\S]*$/, 'tests:\n  - name: console delete\n    event: { base: fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json, set: { eventName: DeleteService } }\n    expect: match\n  - name: console update\n    event: fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json\n    expect: no-match\n'))
    const { code, stdout } = await runCli(['backtest', '--base', 'rules', '--head', head, archive, '--format', 'markdown', '--fail-on-increase', '0'], env)
    expect(code).toBe(0)
    expect(stdout).toContain('### trailwarden backtest: 4000 records')
    expect(stdout).toContain('Matches: 400 → 0 (−400). 1 rule changed, 28 unchanged.')
    expect(stdout).toContain('| `ecs-console-change-in-prod` | changed | 400 | 0 | −400 | 0 | 400 | − UpdateService by alice@example.com at 2026-11-01T12:00:00.000Z (generated-0)')
    // Loosening it back is an increase: --fail-on-increase sets the exit code.
    const reverse = await runCli(['backtest', '--base', head, '--head', 'rules', archive, '--fail-on-increase', '10'], env)
    expect(reverse.code).toBe(1)
    expect(reverse.stderr).toContain('matches increased by 400, more than --fail-on-increase 10')
  })
})
