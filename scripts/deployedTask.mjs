// The task as deployed, without Docker or AWS: what the image's Dockerfiles say (ENV, WORKDIR, USER, ENTRYPOINT, CMD,
// the files they COPY) and what the synthesized CloudFormation template's task definition says (environment, secrets,
// entryPoint, command, user, health check, read-only root file system) combined the way ECS combines them: the task
// definition's entryPoint/command/user replace the image's, its environment and secrets are added to the image's ENV.
// Used by test/deploy/bootAsDeployed.test.ts and, through that test, by `npm run check:container`. Only the AWS and
// Slack endpoints and the secret values are the caller's; every other value comes from the two files.
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'

/**
 * One Dockerfile's final stage (from its last FROM): continuation lines joined, comments dropped.
 * @param {string} text
 */
function finalStage(text) {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  const from = lines.findLastIndex((l) => /^FROM\s/i.test(l))
  return lines.slice(from)
}

/** `ENV A=1 B="two words"` (the key=value form the Dockerfiles use). */
function envPairs(rest) {
  const out = {}
  for (const m of rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) out[m[1]] = m[2].startsWith('"') ? JSON.parse(m[2]) : m[2]
  return out
}

/**
 * The image a list of Dockerfiles builds, each FROM the one before (trailwarden's, then a team's): its config and
 * the files its COPY lines put where. `COPY --from=…` (a build stage's output) is named by `stageOutputs`.
 * @param {Array<{ dockerfile: string, context: string }>} layers
 * @param {Record<string, string>} stageOutputs e.g. { '/app/dist': '<repo>/dist' }
 */
export function readImage(layers, stageOutputs = {}) {
  const image = { env: {}, workdir: '/', user: 'root', entrypoint: [], cmd: [], copies: [] }
  for (const { dockerfile, context } of layers) {
    for (const line of finalStage(readFileSync(dockerfile, 'utf8'))) {
      const [, keyword, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? []
      switch (keyword?.toUpperCase()) {
        case 'ENV': Object.assign(image.env, envPairs(rest)); break
        case 'WORKDIR': image.workdir = resolve(image.workdir, rest); break
        case 'USER': image.user = rest; break
        // ECS and Docker: a new ENTRYPOINT resets CMD.
        case 'ENTRYPOINT':
          image.entrypoint = JSON.parse(rest)
          image.cmd = []
          break
        case 'CMD': image.cmd = JSON.parse(rest); break
        case 'COPY': {
          const words = rest.split(/\s+/)
          const from = words.find((w) => w.startsWith('--from='))
          const paths = words.filter((w) => !w.startsWith('--'))
          const rawDest = paths.pop()
          // Several sources, or a destination ending in "/": a folder the sources go into; a source folder's contents
          // are copied, not the folder itself (Dockerfile reference, COPY).
          const intoFolder = paths.length > 1 || rawDest.endsWith('/')
          const dest = resolve(image.workdir, rawDest)
          for (const src of paths) {
            const source = from ? stageOutputs[resolve('/app', src)] : join(context, src)
            if (source === undefined) throw new Error(`COPY ${line}: no local path for that build stage's output`)
            image.copies.push({ src: source, dest, intoFolder })
          }
          break
        }
        default: break
      }
    }
  }
  return image
}

/**
 * The image's file system under its WORKDIR laid out in a fresh folder, in COPY order (a later COPY into a folder
 * adds to it, as in a layer); `links` are symlinked instead of copied (node_modules, dist: large and read only).
 * Returns the folder standing for WORKDIR and a function mapping image paths to local ones.
 * @param {ReturnType<typeof readImage>} image
 * @param {Record<string, string>} links image path → local path
 */
export function layOut(image, links = {}) {
  const root = mkdtempSync(join(tmpdir(), 'trailwarden-task-'))
  // mkdtemp makes it 0700: the image's user must be able to read it, and only read it.
  chmodSync(root, 0o755)
  const local = (p) => (p === image.workdir || p.startsWith(`${image.workdir}/`) ? join(root, p.slice(image.workdir.length)) : p)
  for (const [dest, src] of Object.entries(links)) {
    mkdirSync(dirname(local(dest)), { recursive: true })
    symlinkSync(src, local(dest))
  }
  for (const c of image.copies) {
    const target = c.intoFolder && !statSync(c.src).isDirectory() ? join(local(c.dest), basename(c.src)) : local(c.dest)
    if (Object.values(links).includes(c.src) || (existsSync(target) && lstatSync(target).isSymbolicLink())) continue
    mkdirSync(dirname(target), { recursive: true })
    cpSync(c.src, target, { recursive: true })
  }
  return { root, local }
}

/**
 * Resolve the CloudFormation intrinsics a container definition uses. `values` answers Ref (parameters, resources and
 * pseudo parameters); conditions are evaluated from the template's Conditions with the same values.
 */
export function resolveIntrinsics(value, template, values) {
  const conditions = template.Conditions ?? {}
  const r = (v) => {
    if (Array.isArray(v)) return v.map(r).filter((x) => x !== NO_VALUE)
    if (v === null || typeof v !== 'object') return v
    const [key] = Object.keys(v)
    const arg = v[key]
    switch (key) {
      case 'Ref': {
        if (arg === 'AWS::NoValue') return NO_VALUE
        if (arg in values) return values[arg]
        const parameter = template.Parameters?.[arg]
        if (parameter && 'Default' in parameter) return String(parameter.Default)
        throw new Error(`no value for Ref ${arg}: pass it (a parameter without default, a resource or a pseudo parameter)`)
      }
      case 'Fn::GetAtt': {
        const name = `${arg[0]}.${arg[1]}`
        if (name in values) return values[name]
        throw new Error(`no value for Fn::GetAtt ${name}`)
      }
      case 'Fn::Join': return r(arg[1]).join(arg[0])
      case 'Fn::Select': return r(arg[1])[Number(r(arg[0]))]
      case 'Fn::Split': return String(r(arg[1])).split(arg[0])
      case 'Fn::If': return condition(arg[0]) ? r(arg[1]) : r(arg[2])
      case 'Fn::Equals': return r(arg[0]) === r(arg[1])
      case 'Fn::Not': return !r(arg[0])
      case 'Fn::And': return arg.every(r)
      case 'Fn::Or': return arg.some(r)
      case 'Condition': return condition(arg)
      default: {
        if (key?.startsWith('Fn::')) throw new Error(`${key} is not supported here`)
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, r(x)]).filter(([, x]) => x !== NO_VALUE))
      }
    }
  }
  const condition = (name) => {
    if (!(name in conditions)) throw new Error(`no condition ${name}`)
    return Boolean(r(conditions[name]))
  }
  return r(value)
}
const NO_VALUE = Symbol('AWS::NoValue')

/** The template's one task definition and its one container, with every intrinsic resolved. */
export function taskContainer(template, values) {
  const tasks = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::ECS::TaskDefinition')
  if (tasks.length !== 1) throw new Error(`expected one AWS::ECS::TaskDefinition, found ${tasks.length}`)
  const containers = tasks[0][1].Properties.ContainerDefinitions
  if (containers.length !== 1) throw new Error(`expected one container, found ${containers.length}`)
  return resolveIntrinsics(containers[0], template, values)
}

/** The logical id of the template's only resource of a type (the queue that has a redrive policy, for queues). */
export function logicalId(template, type, which = () => true) {
  const found = Object.entries(template.Resources).filter(([, r]) => r.Type === type && which(r))
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`)
  return found[0][0]
}

/**
 * How to start the task's container here: ECS's combination of the image and the task definition.
 * `secrets` gives each secret's value by name; `endpoints` adds the endpoint variables (AWS_ENDPOINT_URL_*, SLACK_API_URL,
 * the container credentials URI) and may move PORT and HOST (a shared machine: a free port, loopback only).
 * @returns {{ argv: string[], env: Record<string, string>, cwd: string, uid?: number, gid?: number, healthCheck?: string[] }}
 */
export function containerProcess(image, container, { root, local }, { secrets = {}, endpoints = {}, asUser = true } = {}) {
  const env = { ...image.env }
  for (const { Name, Value } of container.Environment ?? []) env[Name] = Value
  for (const { Name } of container.Secrets ?? []) {
    if (!(Name in secrets)) throw new Error(`the task definition takes secret ${Name}: give its value`)
    env[Name] = secrets[Name]
  }
  Object.assign(env, endpoints)
  // Paths in the image's variables (TRAILWARDEN_RULES=/app/rules) point into the laid-out folder.
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string' && v.startsWith('/')) env[k] = local(v)
  const entrypoint = container.EntryPoint ?? image.entrypoint
  const command = container.Command ?? (container.EntryPoint ? [] : image.cmd)
  const argv = [...entrypoint, ...command]
  if (argv[0] !== 'node') throw new Error(`the container starts ${argv[0]}, not node`)
  const user = container.User ?? image.user
  const [uid, gid] = user.split(':').map(Number)
  const ids = asUser && process.getuid?.() === 0 && Number.isInteger(uid) ? { uid, gid: Number.isInteger(gid) ? gid : uid } : {}
  const port = env.PORT
  const healthCheck = container.HealthCheck?.Command?.[0] === 'CMD'
    ? container.HealthCheck.Command.slice(1).map((a) => a.replace(/127\.0\.0\.1:8080\//, `127.0.0.1:${port}/`))
    : undefined
  return { argv: [process.execPath, ...argv.slice(1)], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/home/node', ...env }, cwd: root, ...ids, healthCheck, user }
}
