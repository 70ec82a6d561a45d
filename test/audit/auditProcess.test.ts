import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type CloudTrailDouble, startCloudTrailDouble } from '../support/cloudTrailDouble.js'
import { until } from '../support/daemonHarness.js'
import { generatedRecords } from '../support/eventHistoryData.js'

let double: CloudTrailDouble
beforeAll(async () => {
  double = await startCloudTrailDouble()
})
afterAll(async () => {
  await double.close()
})
beforeEach(() => {
  double.reset()
})

/** The built CLI as a user runs it, in an environment of nothing but these variables (no ~/.aws, no instance metadata). */
function cli(args: string[], env: Record<string, string>) {
  const home = mkdtempSync(join(tmpdir(), 'trailwarden-home-'))
  const child = spawn(process.execPath, ['dist/cli.js', ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ENDPOINT_URL_CLOUDTRAIL: double.url,
      TRAILWARDEN_CONFIG: 'trailwarden.example.yaml',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const done = new Promise<{ code: number | null, stdout: string, stderr: string }>((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(guard)
      resolve({ code, stdout, stderr })
    })
  })
  return { child, done }
}

const WINDOW = ['--since', '2026-11-01T00:00:00Z', '--until', '2026-11-30T00:00:00Z']

describe('trailwarden audit as a process', () => {
  it('no credentials anywhere: exit 2 saying what to set, and no call made', async () => {
    const { code, stderr } = await cli(['audit', '--region', 'eu-west-1', ...WINDOW], {}).done
    expect(code).toBe(2)
    expect(stderr).toContain('AWS credentials are missing, expired or not recognised (CredentialsProviderError')
    expect(stderr).toContain('set AWS_PROFILE (after `aws sso login --profile NAME` for IAM Identity Center), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY')
    expect(double.calls).toHaveLength(0)
  })

  it('SIGINT mid-way prints what was read, then INCOMPLETE, and exits 2', async () => {
    double.setRecords('eu-west-1', generatedRecords(400, 'eu-west-1', Date.UTC(2026, 10, 2, 8)))
    double.delay(300)
    const { child, done } = cli(['audit', '--region', 'eu-west-1', ...WINDOW, '--format', 'ndjson'], { AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local' })
    await until(() => double.calls.length >= 3, 20_000, 'a third LookupEvents call')
    child.kill('SIGINT')
    const { code, stdout, stderr } = await done
    expect(code).toBe(2)
    expect(stdout.trim().split('\n').length).toBeGreaterThan(0)
    expect(stderr).toContain('INCOMPLETE: interrupted (SIGINT): the results above are partial')
    expect(stderr).toMatch(/INCOMPLETE: eu-west-1 stopped after [2-6] pages \(\d+ events\): events from 2026-11-01T00:00:00.000Z to 2026-11-02T\d\d:\d\d:00.000Z were not read/)
    expect(double.calls.length).toBeLessThan(8)
  })
})
