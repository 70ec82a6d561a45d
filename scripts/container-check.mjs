#!/usr/bin/env node
// There is no Docker engine on these machines, so this performs the Dockerfile's steps outside Docker and checks
// what can be checked: the Dockerfile lints; the build stage (npm ci, build) and the runtime stage
// (npm ci --omit=dev, dist, rules) work in clean folders; the runtime carries no dev dependency; the entry point
// started the way CMD starts it — as an unprivileged user, in a read-only folder — answers /healthz, passes the
// HEALTHCHECK command, and exits 0 on SIGTERM. Run by .ci/run; it uses the npm cache the install just filled.
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
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

// 4. Start it as CMD does, unprivileged, in a read-only folder.
chmodSync(work, 0o755)
execFileSync('chmod', ['-R', 'a-w,a+rX', runtime])
const { startEmbeddedSqs } = await import(join(root, 'dist/local/embeddedSqs.js'))
const sqs = await startEmbeddedSqs()
const { queueUrl } = await sqs.createQueueWithDlq('container-check')
const port = await new Promise((ok) => {
  const s = createServer().listen(8080, '127.0.0.1', () => s.close(() => ok(8080))).on('error', () => {
    const t = createServer().listen(0, '127.0.0.1', () => {
      const p = t.address().port
      t.close(() => ok(p))
    })
  })
})
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
// The ENTRYPOINT's own arguments (the V8 flags the image runs with), so this starts exactly what the image starts.
const entrypoint = JSON.parse(dockerfile.match(/^ENTRYPOINT (\[.*\])$/m)[1])
const child = spawn(process.execPath, [...entrypoint.slice(1), 'run'], {
  cwd: runtime,
  ...asUser,
  env: {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    TRAILWARDEN_RULES: join(runtime, 'rules'),
    TRAILWARDEN_CONFIG: join(runtime, 'trailwarden.example.yaml'),
    TRAILWARDEN_QUEUE_URL: queueUrl,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PORT: String(port),
    HOST: '127.0.0.1',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
})
let output = ''
child.stdout.on('data', (c) => (output += c))
child.stderr.on('data', (c) => (output += c))
const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })))
const deadline = Date.now() + 20_000
let healthy = false
while (!healthy && Date.now() < deadline) {
  healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)
  if (!healthy) await new Promise((r) => setTimeout(r, 200))
}
if (!healthy) fail(`/healthz never answered 200; output:\n${output}`)
const healthcheck = dockerfile.match(/CMD \["node", "-e", "(.*)"\]/)[1].replace(':8080/', `:${port}/`)
execFileSync(process.execPath, ['-e', healthcheck], { stdio: 'inherit' })
step(`the entry point runs ${asUser.uid ? 'as uid 65534 ' : ''}in a read-only folder; /healthz answers 200 and the HEALTHCHECK command passes`)
const t0 = Date.now()
child.kill('SIGTERM')
const { code } = await exited
await sqs.stop()
execFileSync('chmod', ['-R', 'u+w', work])
rmSync(work, { recursive: true, force: true })
if (code !== 0) fail(`SIGTERM: exit code ${code}; output:\n${output}`)
step(`SIGTERM: exit 0 after ${Date.now() - t0} ms`)
