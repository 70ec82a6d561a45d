import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { afterAll, describe, expect, it } from 'vitest'
import { readImage } from '../../scripts/deployedTask.mjs'
import { ROOT } from './bootTask.js'

// Issue 18: one documented path from git to the running task. examples/rules-repo is a team's repository; its CI
// runs ci/check.sh inside trailwarden's image. This runs the same script over it with the CLI built here.
const EXAMPLE = join(ROOT, 'examples/rules-repo')
const work = mkdtempSync(join(tmpdir(), 'trailwarden-rules-repo-'))
afterAll(() => { rmSync(work, { recursive: true, force: true }) })

interface Step { name?: string, run?: string, uses?: string, if?: string }
const workflow = parse(readFileSync(join(EXAMPLE, '.github/workflows/trailwarden.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> }
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps)

describe('examples/rules-repo', () => {
  it('passes validate, the rule tests and the backtest exactly as its CI runs them (ci/check.sh)', () => {
    // The pull request adds the team's rule: the base branch is the same repository without it.
    const head = join(work, 'head')
    const base = join(work, 'base')
    cpSync(EXAMPLE, head, { recursive: true })
    cpSync(EXAMPLE, base, { recursive: true })
    rmSync(join(base, 'rules'), { recursive: true })
    const run = spawnSync('sh', ['ci/check.sh'], {
      cwd: head,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, TRAILWARDEN: `${process.execPath} ${join(ROOT, 'dist/cli.js')}`, BUNDLED: join(ROOT, 'rules'), BASE: base },
    })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^30 rule files, 1 lists file, 30 valid rules: 0 errors, 0 warnings/m)
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed$/m)
    const backtest = readFileSync(join(head, 'backtest.md'), 'utf8')
    expect(backtest).toContain('### trailwarden backtest: 6 records')
    expect(backtest).toMatch(/\| `acme-service-changed-by-hand-in-prod` \| new rule \| 0 \| 2 \| \+2 \|/)
  })

  it('fails the check when the team\'s rule test fails', () => {
    const broken = join(work, 'broken')
    cpSync(EXAMPLE, broken, { recursive: true })
    const rule = join(broken, 'rules/acme/acme-service-changed-by-hand-in-prod.yaml')
    cpSync(rule, `${rule}.orig`)
    execFileSync('sed', ['-i', 's/    env: staging/    env: prod/', rule])
    const run = spawnSync('sh', ['ci/check.sh'], {
      cwd: broken,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, TRAILWARDEN: `${process.execPath} ${join(ROOT, 'dist/cli.js')}`, BUNDLED: join(ROOT, 'rules') },
    })
    expect(run.status).not.toBe(0)
    expect(run.stdout).toContain('test "the same change outside prod" failed')
  })

  it('runs that script in trailwarden\'s image in CI, where the CLI and the bundled pack are where the script is told', () => {
    const check = steps.find((s) => s.run?.includes('ci/check.sh'))
    expect(check?.run).toContain('-e TRAILWARDEN="node /app/dist/cli.js" -e BUNDLED=/app/rules')
    expect(check?.run).toContain('--entrypoint sh trailwarden:base ci/check.sh')
    // trailwarden's image: WORKDIR /app, the build's dist/ and the bundled rules/ there.
    const image = readImage([{ dockerfile: join(ROOT, 'Dockerfile'), context: ROOT }], { '/app/dist': join(ROOT, 'dist') })
    expect(image.copies.map((c) => c.dest)).toEqual(expect.arrayContaining(['/app/dist', '/app/rules']))
    expect(image.entrypoint.at(-1)).toBe('dist/cli.js')
    expect(image.workdir).toBe('/app')
    // …then builds the image with the rules and pushes it, on main only.
    expect(steps.find((s) => s.run?.startsWith('docker build --build-arg TRAILWARDEN_IMAGE=trailwarden:base'))).toBeDefined()
    expect(steps.find((s) => s.run?.includes('docker push'))?.if).toBe('github.event_name == \'push\'')
  })

  it('has a Dockerfile that lints clean, builds FROM trailwarden\'s image, sets TRAILWARDEN_RULES and TRAILWARDEN_CONFIG and stays non-root', () => {
    const dockerfile = join(EXAMPLE, 'Dockerfile')
    expect(execFileSync(join(ROOT, 'node_modules/.bin/dockerfile-utils'), ['lint', dockerfile], { encoding: 'utf8' })).toBe('')
    const image = readImage([{ dockerfile: join(ROOT, 'Dockerfile'), context: ROOT }, { dockerfile, context: EXAMPLE }], { '/app/dist': join(ROOT, 'dist') })
    expect(readFileSync(dockerfile, 'utf8')).toMatch(/^FROM \$\{TRAILWARDEN_IMAGE\}$/m)
    expect(image.env).toMatchObject({ TRAILWARDEN_RULES: '/app/rules', TRAILWARDEN_CONFIG: '/app/trailwarden.yaml' })
    expect(image.user).toBe('node')
  })
})
