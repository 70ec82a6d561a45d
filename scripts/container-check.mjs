#!/usr/bin/env node
// There is no Docker engine on these machines, so this performs the Dockerfile's steps outside Docker and checks
// what can be checked: the Dockerfile lints; the build stage (npm ci, build) and the runtime stage
// (npm ci --omit=dev, dist, rules) work in clean folders; the runtime carries no dev dependency; the runtime stage,
// started as the synthesized template's task definition starts it — its user, in a read-only folder, no
// TRAILWARDEN_CONFIG — is ready, alerts, passes the HEALTHCHECK command and exits 0 on SIGTERM. Run by .ci/run; it
// uses the npm cache the install just filled.
import { execFileSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const step = (msg) => process.stdout.write(`container-check: ${msg}\n`)
const fail = (msg) => {
  process.stderr.write(`container-check: FAILED: ${msg}\n`)
  process.exit(1)
}
const npm = (cwd, args) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd, stdio: 'inherit' })

// 1. The Dockerfile: lint, and the facts the issue asks for.
execFileSync(join(root, 'node_modules/.bin/dockerfile-utils'), ['lint', join(root, 'Dockerfile')], { stdio: 'inherit' })
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')
for (const [what, pattern] of [
  ['a Node 22 base', /^FROM node:22-[a-z-]*slim AS runtime$/m],
  ['a non-root user', /^USER node$/m],
  ['exec-form ENTRYPOINT', /^ENTRYPOINT \["node", ("--[a-z-]+(=\w+)?", )*"dist\/cli\.js"\]$/m],
  ['exec-form CMD', /^CMD \["run"\]$/m],
  ['npm ci --omit=dev in the runtime stage', /AS runtime[\s\S]*npm ci --omit=dev/],
  ['a HEALTHCHECK on /healthz without curl', /HEALTHCHECK[\s\S]*CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:8080\/healthz'\)/],
]) if (!pattern.test(dockerfile)) fail(`the Dockerfile lacks ${what}`)
step('Dockerfile lints and has a Node 22 slim base, a non-root user, exec-form ENTRYPOINT/CMD and a curl-free HEALTHCHECK')

// 2. The build stage.
const work = mkdtempSync(join(tmpdir(), 'trailwarden-image-'))
const build = join(work, 'build')
const runtime = join(work, 'app')
for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) cpSync(join(root, f), join(build, f))
cpSync(join(root, 'src'), join(build, 'src'), { recursive: true })
npm(build, ['ci'])
execFileSync('npm', ['run', 'build', '--silent'], { cwd: build, stdio: 'inherit' })
step('build stage: npm ci and npm run build succeeded')

// 3. The runtime stage.
for (const f of ['package.json', 'package-lock.json', 'trailwarden.example.yaml']) cpSync(join(root, f), join(runtime, f))
npm(runtime, ['ci', '--omit=dev'])
cpSync(join(build, 'dist'), join(runtime, 'dist'), { recursive: true })
cpSync(join(root, 'rules'), join(runtime, 'rules'), { recursive: true })
for (const dev of ['fauxqs', 'vitest', 'typescript', 'eslint', 'dockerfile-utils']) if (existsSync(join(runtime, 'node_modules', dev))) fail(`dev dependency ${dev} is in the runtime stage`)
const size = execFileSync('du', ['-sm', runtime]).toString().split('\t')[0]
step(`runtime stage: production dependencies only, ${size} MB on top of the node:22 base (node_modules + dist + rules)`)

// 4. Boot it as the deployed task: test/deploy/bootAsDeployed.test.ts reads the task definition from the synthesized
// template (environment, secrets, user, entry point, health check; no TRAILWARDEN_CONFIG) and starts this runtime
// stage with it — read-only, as the template's non-root user — against fauxqs, the EventBridge and Slack doubles and
// dynalite: /readyz 200, one alert from one event, the HEALTHCHECK command passes, exit 0 on SIGTERM.
chmodSync(work, 0o755)
execFileSync('chmod', ['-R', 'a-w,a+rX', runtime])
try {
  execFileSync(join(root, 'node_modules/.bin/vitest'), ['run', 'test/deploy/bootAsDeployed.test.ts'], {
    cwd: root,
    env: { ...process.env, BOOT_APP_DIR: runtime },
    stdio: 'inherit',
  })
} catch {
  fail('the runtime stage did not boot as the template deploys it (output above)')
} finally {
  execFileSync('chmod', ['-R', 'u+w', work])
  rmSync(work, { recursive: true, force: true })
}
step('the runtime stage boots as the template\'s task: /readyz 200, one alert from one event, HEALTHCHECK passes, exit 0 on SIGTERM')
