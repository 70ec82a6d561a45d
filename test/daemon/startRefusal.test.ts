import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/captureIO.js'
import { useSqsEmulator } from '../support/sqsEmulator.js'

const sqs = useSqsEmulator()

/** `trailwarden run` as the image starts it (a refused start is a configuration error: exit 2), with this environment; what it printed and how it ended. */
function run(env: Record<string, string>): Promise<{ code: number | null, stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', 'run'], {
      env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    // A process that started instead of refusing is stopped, so the assertion below reports it.
    const guard = setTimeout(() => child.kill('SIGTERM'), 15_000)
    child.on('exit', (code) => {
      clearTimeout(guard)
      resolve({ code, stderr })
    })
  })
}

const closedPort = () => new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number }
    server.close(() => { resolve(port) })
  })
})

/** Issue 16: these used to start, loop on warnings forever, and answer /healthz 200. */
describe('trailwarden run refuses to start, naming every problem, when the queue cannot work', () => {
  it('a queue that does not exist', async () => {
    const { code, stderr } = await run({ TRAILWARDEN_QUEUE_URL: `${sqs().endpoint}/000000000000/no-such-queue`, AWS_ENDPOINT_URL_SQS: sqs().endpoint, AWS_REGION: 'us-east-1' })
    expect(code).toBe(2)
    expect(stderr).toMatch(/refusing to start[\s\S]*no-such-queue does not exist/)
  }, 30_000)

  it('an endpoint nothing listens on', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`
    const { code, stderr } = await run({ TRAILWARDEN_QUEUE_URL: `${endpoint}/000000000000/q`, AWS_ENDPOINT_URL_SQS: endpoint, AWS_REGION: 'us-east-1' })
    expect(code).toBe(2)
    expect(stderr).toMatch(/refusing to start[\s\S]*cannot reach the SQS endpoint/)
  }, 30_000)

  it('an emulator URL and no region', async () => {
    const { code, stderr } = await run({ TRAILWARDEN_QUEUE_URL: `${sqs().endpoint}/000000000000/q`, AWS_ENDPOINT_URL_SQS: sqs().endpoint })
    expect(code).toBe(2)
    expect(stderr).toMatch(/AWS_REGION/)
  }, 30_000)

  it('a javascript: queue URL', async () => {
    const { code, stderr } = await run({ TRAILWARDEN_QUEUE_URL: 'javascript:alert(1)//sqs.eu-west-1.amazonaws.com/1/q' })
    expect(code).toBe(2)
    expect(stderr).toMatch(/TRAILWARDEN_QUEUE_URL/)
  }, 30_000)

  it('a broken rule and a missing queue: both in one refusal', async () => {
    const rules = mkdtempSync(join(tmpdir(), 'trailwarden-refuse-'))
    writeFileSync(join(rules, 'broken.yaml'), 'id: broken\ntitle: no severity\n')
    const { code, stderr } = await run({ TRAILWARDEN_RULES: rules, TRAILWARDEN_QUEUE_URL: `${sqs().endpoint}/000000000000/missing`, AWS_ENDPOINT_URL_SQS: sqs().endpoint, AWS_REGION: 'us-east-1' })
    expect(code).toBe(2)
    expect(stderr).toMatch(/broken\.yaml:\d+:\d+ broken:/)
    expect(stderr).toMatch(/missing does not exist/)
  }, 30_000)
})

describe('trailwarden validate fails exactly where run refuses, in the same words (issue 17)', () => {
  const lineOf = (text: string, pattern: RegExp) => text.split('\n').map((l) => l.replace(/^.*?(\S+: SLACK_BOT_TOKEN|\S+ \S+: test ")/, '$1')).find((l) => pattern.test(l))

  it('a Slack token with no slack.defaultChannel in the config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailwarden-parity-'))
    const config = join(dir, 'trailwarden.yaml')
    writeFileSync(config, readFileSync('trailwarden.example.yaml', 'utf8').replace('  defaultChannel: "#alerts"\n', ''))
    const env = { TRAILWARDEN_CONFIG: config, SLACK_BOT_TOKEN: 'xoxb-test-token' }
    const validate = await runCli(['validate'], env)
    const run_ = await run({ ...env, TRAILWARDEN_QUEUE_URL: `${sqs().endpoint}/000000000000/parity`, AWS_ENDPOINT_URL_SQS: sqs().endpoint, AWS_REGION: 'us-east-1', SLACK_API_URL: 'http://127.0.0.1:9/' })
    expect(validate.code).toBe(1)
    expect(run_.code).toBe(2)
    const said = lineOf(validate.stdout, /slack\.defaultChannel/)
    expect(said).toMatch(/SLACK_BOT_TOKEN is set but slack\.defaultChannel is not/)
    expect(run_.stderr).toContain(said)
    // Without the token both accept the same config.
    expect((await runCli(['validate'], { TRAILWARDEN_CONFIG: config })).code).toBe(0)
  }, 30_000)

  it('a rule whose test fails', async () => {
    const validate = await runCli(['validate', '--rules', 'test/fixtures/rules-failing-tests'])
    expect(validate.code).toBe(1)
    expect(validate.stdout).toMatch(/test ".*" failed: expected/)
  })
})
