import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../support/captureIO.js'
import { type CloudTrailDouble, startCloudTrailDouble } from '../support/cloudTrailDouble.js'
import { generatedRecords, webServiceSequence } from '../support/eventHistoryData.js'
import { fixturesDir } from '../support/fixtures.js'

/**
 * The golden files hold what `trailwarden history` prints for the built sequence of prod-web/web's changes
 * (test/support/eventHistoryData.ts). UPDATE_GOLDEN=1 rewrites them; review the diff before committing it.
 */
const golden = (name: string, actual: string) => {
  const path = join(fixturesDir, 'history', name)
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual)
  expect(actual).toBe(readFileSync(path, 'utf8'))
}

let double: CloudTrailDouble
let env: NodeJS.ProcessEnv
let archive: string
const TARGET = ['--cluster', 'prod-web', '--service', 'web', '--task-definition', 'web']
const WINDOW = ['--since', '2026-11-01T00:00:00Z', '--until', '2026-11-30T00:00:00Z']

beforeAll(async () => {
  double = await startCloudTrailDouble()
  archive = mkdtempSync(join(tmpdir(), 'trailwarden-history-'))
  const records = webServiceSequence()
  // Two S3 log files, the second holding the older half: the reader's order is not the history's order.
  writeFileSync(join(archive, 'a.json.gz'), gzipSync(JSON.stringify({ Records: records.slice(6) })))
  writeFileSync(join(archive, 'b.json'), JSON.stringify({ Records: records.slice(0, 6) }))
})
afterAll(async () => {
  await double.close()
})
beforeEach(() => {
  double.reset()
  env = { AWS_ENDPOINT_URL_CLOUDTRAIL: double.url, AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'eu-west-1' }
})

describe('trailwarden history', () => {
  it('from archives: the service\'s and its family\'s changes, oldest first, as the golden table', async () => {
    const { code, stdout, stderr } = await runCli(['history', ...TARGET, archive], env)
    expect(code, stderr).toBe(0)
    golden('prod-web-web.table.txt', stdout)
    expect(stderr).toBe('11 records read from 2 files\n')
  })

  it('from Event history: the same table, read through LookupEvents', async () => {
    double.setRecords('eu-west-1', webServiceSequence())
    const { code, stdout, stderr } = await runCli(['history', ...TARGET, ...WINDOW], env)
    expect(code, stderr).toBe(0)
    golden('prod-web-web.table.txt', stdout)
    expect(stderr).toContain('11 ECS events read from Event history in 1 page from eu-west-1')
  })

  it('markdown and csv', async () => {
    const md = await runCli(['history', ...TARGET, archive, '--format', 'markdown'], env)
    golden('prod-web-web.md', md.stdout)
    const csv = await runCli(['history', ...TARGET, archive, '--format', 'csv'], env)
    golden('prod-web-web.csv', csv.stdout)
  })

  it('--service alone leaves out the task definition registrations; the cluster may be an ARN', async () => {
    const { stdout } = await runCli(['history', '--cluster', 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod-web', '--service', 'web', archive, '--format', 'csv'], env)
    const calls = stdout.split('\r\n').slice(1, -1).map((l) => l.split(',')[3])
    expect(calls).toEqual(['CreateService', 'UpdateService', 'UpdateService', 'UpdateService', 'UpdateService', 'DeleteService', 'DeleteService'])
  })

  it('an event read twice (overlapping archives) is one row', async () => {
    const { stdout } = await runCli(['history', ...TARGET, archive, archive], env)
    golden('prod-web-web.table.txt', stdout)
  })

  it('an error mid-way prints the rows read and a clear INCOMPLETE line (exit 2)', async () => {
    double.setRecords('eu-west-1', [...generatedRecords(60, 'eu-west-1', Date.UTC(2026, 10, 1)), ...webServiceSequence()])
    double.failFrom('eu-west-1', 2, 'InvalidNextTokenException', 'Invalid NextToken')
    const { code, stdout, stderr } = await runCli(['history', ...TARGET, ...WINDOW], env)
    expect(code).toBe(2)
    // The newest 50 events were read (the sequence, 2–8 November, and the newest generated ones of 1 November): the
    // sequence's rows are there, the oldest generated event is not.
    expect(stdout).toContain('2026-11-08T09:05:07Z')
    expect(stdout).toContain('2026-11-02T09:00:07Z')
    expect(stdout).not.toContain('2026-11-01T00:00:00Z')
    expect(stderr).toMatch(/INCOMPLETE: eu-west-1 stopped after 1 page \(50 events\)/)
  })

  it('needs a service or a family', async () => {
    const { code, stderr } = await runCli(['history', archive], env)
    expect(code).toBe(2)
    expect(stderr).toContain('history needs --service (with --cluster) or --task-definition')
  })
})
