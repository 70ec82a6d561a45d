import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { loadCommands } from '../../src/commands/main.js'
import { runCli } from '../support/captureIO.js'

const env = { TRAILWARDEN_CONFIG: 'trailwarden.example.yaml' }
const FIXTURE = 'rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json'

/** Issue 18: one convention for help, options and exit codes across verbs. */
describe('the CLI convention', () => {
  it('--version and -V print the package version, exit 0', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag])
      expect(r).toMatchObject({ code: 0, stdout: `trailwarden ${version}\n` })
    }
  })

  it('help lists every command; help VERB equals VERB --help; both exit 0', async () => {
    const commands = await loadCommands()
    const all = await runCli(['help'])
    expect(all.code).toBe(0)
    for (const name of Object.keys(commands)) expect(all.stdout).toContain(`  ${name}`)
    for (const name of Object.keys(commands)) {
      const viaHelp = await runCli(['help', name])
      const viaFlag = await runCli([name, '--help'])
      expect(viaHelp).toEqual(viaFlag)
      expect(viaHelp.code).toBe(0)
    }
  })

  it('every option of every verb has a description, and its --help shows it', async () => {
    for (const [name, command] of Object.entries(await loadCommands())) {
      const { stdout } = await runCli([name, '--help'])
      for (const [option, spec] of Object.entries(command.options)) {
        expect(spec.description.length, `${name} --${option}`).toBeGreaterThan(10)
        expect(stdout).toContain(`--${option}`)
        expect(stdout).toContain(spec.description)
      }
      expect(stdout).toContain('Exit codes: 0 ok, 1 findings, 2 usage or configuration error')
    }
    expect((await runCli(['replay', '--help'])).stdout).toMatch(/--slack\s+ALSO POST every alert to the live Slack channels/)
  })

  it('usage errors exit 2 with what was wrong and where to look: an unknown command, an unknown option, a missing value', async () => {
    expect(await runCli(['frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command \'frobnicate\'') as unknown })
    const unknown = await runCli(['validate', '--rule', 'x'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/^trailwarden validate: Unknown option '--rule'.* — see 'trailwarden help validate'\n$/)
    expect((await runCli(['replay', 'x', '--since'])).code).toBe(2)
    expect((await runCli(['schema', 'extra'])).code).toBe(2)
  })

  it('explain: a missing file says so (before any rule problem), a .json.gz event is read', async () => {
    const missing = await runCli(['explain', '/nonexistent.json'], env)
    expect(missing).toMatchObject({ code: 2, stderr: '/nonexistent.json: file not found\n' })
    const dir = mkdtempSync(join(tmpdir(), 'trailwarden-explain-'))
    writeFileSync(join(dir, 'event.json.gz'), gzipSync(readFileSync(FIXTURE)))
    const gz = await runCli(['explain', join(dir, 'event.json.gz'), '--rule', 'ecs-exec-session'], env)
    expect(gz.code).toBe(0)
    expect(gz.stdout).toContain('matched      ecs-exec-session')
  })

  it('explain … | head: a reader that goes away is not an error', async () => {
    // 300 records: far more output than a pipe holds, so the writer is still writing when the reader leaves.
    const dir = mkdtempSync(join(tmpdir(), 'trailwarden-epipe-'))
    const record = JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown
    writeFileSync(join(dir, 'many.json'), JSON.stringify({ Records: Array.from({ length: 300 }, () => record) }))
    const result = await new Promise<{ code: number | null, stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['dist/cli.js', 'explain', join(dir, 'many.json')], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
      // Read one chunk, then close the pipe, as `head -1` does.
      child.stdout.once('data', () => { child.stdout.destroy() })
      child.on('exit', (code) => { resolve({ code, stderr }) })
    })
    expect(result.stderr).not.toMatch(/EPIPE|Error/)
    expect(result.code).toBe(0)
  })
})
