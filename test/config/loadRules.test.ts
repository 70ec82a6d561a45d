import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { displayPath } from '../../src/config/displayPath.js'
import { loadRuleBundle } from '../../src/config/loadRules.js'
import { nodeRuleFileSystem, type RuleFileSystem } from '../../src/config/ruleFileSystem.js'
import { formatProblem } from '../../src/core/rules/language/yamlSource.js'
import { runRuleTests } from '../../src/core/rules/ruleTests/runRuleTests.js'

const EXEC = 'fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json'
const DELETE = 'fixtures/BUILT__ecs__DeleteCluster__Root_console_mfaTrue.json'
const CREATE = 'fixtures/ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs.json'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A rules folder holding two bundled rules (one in a subfolder) and their real test events. */
function rulesFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'tw-load-'))
  dirs.push(root)
  // Readable by others too, for the cases that read as an unprivileged user.
  chmodSync(root, 0o755)
  const dir = join(root, 'rules')
  mkdirSync(join(dir, 'fixtures'), { recursive: true })
  mkdirSync(join(dir, 'sub', 'fixtures'), { recursive: true })
  copyFileSync('rules/ecs/ecs-exec-session.yaml', join(dir, 'ecs-exec-session.yaml'))
  copyFileSync(join('rules/ecs', EXEC), join(dir, EXEC))
  copyFileSync('rules/ecs/ecs-cluster-deleted.yaml', join(dir, 'sub', 'ecs-cluster-deleted.yaml'))
  for (const f of [DELETE, CREATE]) copyFileSync(join('rules/ecs', f), join(dir, 'sub', f))
  return dir
}

const lines = (problems: Parameters<typeof formatProblem>[0][]) => problems.map(formatProblem)

/** Run `fn` as an unprivileged user: as root (these tests' usual user) a chmod 000 file is still readable. */
async function asNobody<T>(fn: () => Promise<T>): Promise<T> {
  if (process.geteuid?.() !== 0) return fn()
  process.seteuid!(65534)
  try {
    return await fn()
  } finally {
    process.seteuid!(0)
  }
}

describe('loadRuleBundle: a file on disk can refuse a set, never crash the load', () => {
  it('the two rules load and their tests pass from what was read', async () => {
    const dir = rulesFolder()
    const configPath = join(dir, '..', 'trailwarden.yaml')
    writeFileSync(configPath, 'environments:\n  prod: { accounts: ["111122223333"], clusters: ["prod-*"] }\n')
    const bundle = await loadRuleBundle({ rulesDir: dir, configPath })
    expect(lines(bundle.problems)).toEqual([])
    expect(bundle.ruleSet?.rules.map((r) => r.id)).toEqual(['ecs-exec-session', 'ecs-cluster-deleted'])
    // The tests run on what loading read: the files can be gone by then (no I/O in core).
    rmSync(dir, { recursive: true })
    const report = runRuleTests(bundle.ruleSet!, { now: Date.now(), settings: bundle.settings, eventFiles: bundle.eventFiles })
    expect(report.cases.filter((c) => !c.passed)).toEqual([])
    expect(report.passed).toBe(6)
  })

  it('a dangling *.yaml symlink is a located problem', async () => {
    const dir = rulesFolder()
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'ecs-dangling.yaml'))
    const bundle = await loadRuleBundle({ rulesDir: dir })
    expect(bundle.ruleSet).toBeUndefined()
    expect(lines(bundle.problems)).toEqual([
      `${displayPath(join(dir, 'ecs-dangling.yaml'))}:1:1 -: cannot read the rule file: ENOENT (a symlink to nothing) — point the link at the rule file or remove it`,
    ])
  })

  it('a dangling symlink not named like a rule file is a warning only', async () => {
    const dir = rulesFolder()
    symlinkSync(join(dir, 'gone'), join(dir, 'team-rules'))
    const bundle = await loadRuleBundle({ rulesDir: dir })
    expect(bundle.ruleSet?.rules).toHaveLength(2)
    expect(bundle.problems.map((p) => [p.severity, p.message])).toEqual([['warning', 'cannot read the symlink: ENOENT (a symlink to nothing)']])
  })

  it('a rule file the daemon\'s user cannot read (chmod 000, read as uid 65534) is a located problem', async () => {
    const dir = rulesFolder()
    chmodSync(join(dir, 'ecs-exec-session.yaml'), 0o000)
    const bundle = await asNobody(() => loadRuleBundle({ rulesDir: dir }))
    expect(bundle.ruleSet).toBeUndefined()
    expect(lines(bundle.problems)).toEqual([
      `${displayPath(join(dir, 'ecs-exec-session.yaml'))}:1:1 -: cannot read the rule file: EACCES (permission denied) — make it readable by the user trailwarden runs as`,
    ])
  })

  it('a subfolder the daemon\'s user cannot list is a located problem', async () => {
    const dir = rulesFolder()
    chmodSync(join(dir, 'sub'), 0o000)
    const bundle = await asNobody(() => loadRuleBundle({ rulesDir: dir }))
    expect(bundle.ruleSet).toBeUndefined()
    expect(lines(bundle.problems)).toEqual([
      `${displayPath(join(dir, 'sub'))}:1:1 -: cannot read the folder: EACCES (permission denied) — make it readable by the user trailwarden runs as`,
    ])
  })

  it('a FIFO named like a rule file is refused at once instead of blocking the read forever', async () => {
    const dir = rulesFolder()
    execFileSync('mkfifo', [join(dir, 'ecs-pipe.yaml')])
    const bundle = await loadRuleBundle({ rulesDir: dir })
    expect(bundle.ruleSet).toBeUndefined()
    expect(lines(bundle.problems)).toEqual([
      `${displayPath(join(dir, 'ecs-pipe.yaml'))}:1:1 -: cannot read the rule file: NOT_A_FILE (it is a FIFO (named pipe), not a regular file) — rule files, test events and the config must be regular files (not a FIFO, socket or device)`,
    ])
  })

  it('a rule file deleted between listing and reading (git pull under --watch) is a located problem', async () => {
    const dir = rulesFolder()
    const victim = join(dir, 'sub', 'ecs-cluster-deleted.yaml')
    // The real reader, after the file is really removed: the listing has already named it.
    const fs: RuleFileSystem = { ...nodeRuleFileSystem, readText: async (path) => {
      if (path === victim) await rm(path)
      return nodeRuleFileSystem.readText(path)
    } }
    const bundle = await loadRuleBundle({ rulesDir: dir }, fs)
    expect(bundle.ruleSet).toBeUndefined()
    expect(lines(bundle.problems)).toEqual([
      `${displayPath(victim)}:1:1 -: cannot read the rule file: ENOENT (it does not exist (removed while it was read, or a symlink to nothing)) — restore it or remove the link; the next reload reads it again`,
    ])
  })

  it('a subfolder deleted between listing its parent and listing it is a located problem', async () => {
    const dir = rulesFolder()
    const victim = join(dir, 'sub')
    const fs: RuleFileSystem = { ...nodeRuleFileSystem, readdir: async (path) => {
      if (path === victim) await rm(path, { recursive: true })
      return nodeRuleFileSystem.readdir(path)
    } }
    const bundle = await loadRuleBundle({ rulesDir: dir }, fs)
    expect(bundle.ruleSet).toBeUndefined()
    expect(lines(bundle.problems)).toEqual([
      `${displayPath(victim)}:1:1 -: cannot read the folder: ENOENT (it does not exist (removed while it was read, or a symlink to nothing)) — restore it or remove the link; the next reload reads it again`,
    ])
  })

  it('a symlink back to an ancestor folder ends (each folder is read once), with a warning', async () => {
    const dir = rulesFolder()
    symlinkSync('..', join(dir, 'sub', 'loop'))
    const bundle = await loadRuleBundle({ rulesDir: dir })
    expect(bundle.ruleSet?.rules).toHaveLength(2)
    expect(lines(bundle.problems)).toEqual([
      `${displayPath(join(dir, 'sub', 'loop'))}:1:1 -: warning: skipped: the same folder as ${displayPath(dir)} (a symlink loop or a second link to it) — remove the extra link`,
    ])
  })

  it('rule files that are symlinks to each other (a loop) are a located problem', async () => {
    const dir = rulesFolder()
    symlinkSync('ecs-b.yaml', join(dir, 'ecs-a.yaml'))
    symlinkSync('ecs-a.yaml', join(dir, 'ecs-b.yaml'))
    const bundle = await loadRuleBundle({ rulesDir: dir })
    expect(bundle.ruleSet).toBeUndefined()
    expect(bundle.problems.map((p) => `${basename(p.file)} ${p.message}`)).toEqual([
      'ecs-a.yaml cannot read the rule file: ELOOP (too many levels of symlinks (a symlink loop))',
      'ecs-b.yaml cannot read the rule file: ELOOP (too many levels of symlinks (a symlink loop))',
    ])
  })

  it('a test event file deleted while loading is a problem on the test that names it', async () => {
    const dir = rulesFolder()
    const victim = join(dir, 'sub', DELETE)
    const fs: RuleFileSystem = { ...nodeRuleFileSystem, readText: async (path) => {
      if (path === victim) await rm(path)
      return nodeRuleFileSystem.readText(path)
    } }
    const bundle = await loadRuleBundle({ rulesDir: dir }, fs)
    expect(bundle.ruleSet).toBeUndefined()
    const rule = displayPath(join(dir, 'sub', 'ecs-cluster-deleted.yaml'))
    // Both tests that name it, each on its own event line.
    expect(lines(bundle.problems)).toEqual([
      `${rule}:19:12 ecs-cluster-deleted: test event file '${DELETE}' does not exist — paths are relative to the rule file`,
      `${rule}:23:13 ecs-cluster-deleted: test event file '${DELETE}' does not exist — paths are relative to the rule file`,
    ])
  })

  it('a test event file that is a FIFO is a problem on its test, not a hang', async () => {
    const dir = rulesFolder()
    rmSync(join(dir, EXEC))
    execFileSync('mkfifo', [join(dir, EXEC)])
    const bundle = await loadRuleBundle({ rulesDir: dir })
    expect(bundle.ruleSet).toBeUndefined()
    expect(lines(bundle.problems)).toEqual([
      `${displayPath(join(dir, 'ecs-exec-session.yaml'))}:24:12 ecs-exec-session: test event file '${EXEC}' cannot be read: NOT_A_FILE (it is a FIFO (named pipe), not a regular file) — rule files, test events and the config must be regular files (not a FIFO, socket or device)`,
      `${displayPath(join(dir, 'ecs-exec-session.yaml'))}:30:13 ecs-exec-session: test event file '${EXEC}' cannot be read: NOT_A_FILE (it is a FIFO (named pipe), not a regular file) — rule files, test events and the config must be regular files (not a FIFO, socket or device)`,
      `${displayPath(join(dir, 'ecs-exec-session.yaml'))}:36:13 ecs-exec-session: test event file '${EXEC}' cannot be read: NOT_A_FILE (it is a FIFO (named pipe), not a regular file) — rule files, test events and the config must be regular files (not a FIFO, socket or device)`,
    ])
  })

  it('a config that cannot be read (a FIFO) is a problem, not a hang', async () => {
    const dir = rulesFolder()
    const config = join(dir, '..', 'trailwarden.yaml')
    execFileSync('mkfifo', [config])
    const bundle = await loadRuleBundle({ rulesDir: dir, configPath: config })
    expect(bundle.ruleSet).toBeUndefined()
    expect(bundle.problems.map((p) => p.message)).toEqual(['cannot read the config: NOT_A_FILE (it is a FIFO (named pipe), not a regular file)'])
  })
})
