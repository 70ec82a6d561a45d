import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from './bootTask.js'

// Issue 18: the example ran `npm install --global trailwarden`, which is not published. It now builds the CLI from
// trailwarden's git repository into .trailwarden/; this runs its Validate, Rule tests and Backtest steps as written,
// with .trailwarden/ standing for this checkout (its dist/ built by the test setup).
interface Step { name?: string, run?: string }
const workflow = parse(readFileSync(join(ROOT, 'examples/github-actions/rules-pull-request.yml'), 'utf8')) as { env: Record<string, string>, jobs: { rules: { steps: Step[] } } }
const step = (name: string) => {
  const found = workflow.jobs.rules.steps.find((s) => s.name === name)?.run
  if (!found) throw new Error(`no step ${name}`)
  return found
}
const work = mkdtempSync(join(tmpdir(), 'trailwarden-gha-'))
afterAll(() => { rmSync(work, { recursive: true, force: true }) })

describe('examples/github-actions/rules-pull-request.yml', () => {
  it('installs nothing from a registry that does not have trailwarden', () => {
    expect(JSON.stringify(workflow)).not.toMatch(/npm install --global trailwarden|npx trailwarden/)
    expect(step('Build the CLI')).toBe('npm ci --prefix .trailwarden --omit=optional && npm run build --prefix .trailwarden')
    expect(workflow.env.TRAILWARDEN).toBe('node .trailwarden/dist/cli.js')
  })

  it('validates, tests and backtests a repository\'s rules with the commands of its steps', () => {
    // The repository: a whole rule set and a config; the base branch's checkout at ../base; last week's archive.
    const repo = join(work, 'repo')
    mkdirSync(repo)
    cpSync(join(ROOT, 'rules'), join(repo, 'rules'), { recursive: true })
    cpSync(join(ROOT, 'trailwarden.example.yaml'), join(repo, 'trailwarden.yaml'))
    cpSync(join(ROOT, 'rules'), join(work, 'base/rules'), { recursive: true })
    rmSync(join(work, 'base/rules/ecs/ecs-exec-session.yaml'))
    cpSync(join(ROOT, 'examples/rules-repo/samples/cloudtrail'), join(repo, 'archive'), { recursive: true })
    mkdirSync(join(repo, '.trailwarden'))
    symlinkSync(join(ROOT, 'dist'), join(repo, '.trailwarden/dist'))
    symlinkSync(join(ROOT, 'node_modules'), join(repo, '.trailwarden/node_modules'))
    symlinkSync(join(ROOT, 'package.json'), join(repo, '.trailwarden/package.json'))
    const githubEnv = join(work, 'github-env')
    writeFileSync(githubEnv, '')
    const env = { PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}`, TRAILWARDEN: workflow.env.TRAILWARDEN!, GITHUB_ENV: githubEnv }
    for (const name of ['Validate', 'Rule tests', 'Backtest']) {
      const run = spawnSync('bash', ['-e', '-c', step(name)], { cwd: repo, env, encoding: 'utf8' })
      expect(run.status, `${name}: ${run.stdout}${run.stderr}`).toBe(0)
    }
    expect(readFileSync(githubEnv, 'utf8')).toBe('')
    expect(readFileSync(join(repo, 'backtest.md'), 'utf8')).toMatch(/\| `ecs-exec-session` \| new rule \| 0 \| 1 \| \+1 \|/)
  })
})
