import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/captureIO.js'
import { fixtureText } from '../support/fixtures.js'

// Issue 18: the bundled pack carries its own lists (rules/ecs/lists.yaml), so every verb works on it with no
// trailwarden.yaml and no flags (before: "25 rule files, 0 valid rules" and eight list errors, exit 1).
const NO_ENV = {}
const FIXTURE = 'rules/ecs/fixtures/BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json'
const dir = mkdtempSync(join(tmpdir(), 'tw-noconfig-'))
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

describe('every verb with no flags on the bundled pack and no config', () => {
  it('validate exits 0 with no errors', async () => {
    const { code, stdout, stderr } = await runCli(['validate'], NO_ENV)
    expect(stderr).not.toContain('is not defined')
    expect(stdout).toMatch(/^29 rule files, 1 lists file, 29 valid rules: 0 errors, 0 warnings/m)
    expect(code).toBe(0)
  })

  it('test exits 0: every rule test passes on the pack defaults', async () => {
    const { code, stdout } = await runCli(['test'], NO_ENV)
    expect(stdout).toMatch(/\d+ passed, 0 failed/)
    expect(code).toBe(0)
  })

  it('explain a fixture exits 0, and the pack defaults decide: a Docker Hub image is untrusted, an admin role is admin', async () => {
    const { code, stdout } = await runCli(['explain', FIXTURE], NO_ENV)
    expect(stdout).toMatch(/matched\s+ecs-untrusted-image-registry/)
    expect(stdout).toMatch(/matched\s+ecs-admin-task-role/)
    expect(code).toBe(0)
  })

  it('explain of an image in the account\'s own ECR does not call it untrusted', async () => {
    const { code, stdout } = await runCli(['explain', 'rules/ecs/fixtures/BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_ecrImage_clean.json'], NO_ENV)
    expect(stdout).toMatch(/not matched\s+ecs-untrusted-image-registry/)
    expect(code).toBe(0)
  })

  it('replay an archive exits 0', async () => {
    const archive = join(dir, '111122223333_CloudTrail_eu-west-1_20261101T1200Z_a.json')
    writeFileSync(archive, JSON.stringify({ Records: [JSON.parse(fixtureText(FIXTURE)) as unknown] }))
    const { code, stdout, stderr } = await runCli(['replay', archive], NO_ENV)
    expect(stderr).toContain('1 records read')
    expect(stdout).toContain('ecs-untrusted-image-registry')
    expect(code).toBe(0)
  })
})
