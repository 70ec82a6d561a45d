import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type PathWatcher, watchPaths } from '../../src/config/watchPaths.js'
import { until } from '../support/daemonHarness.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A rules folder (a bundled rule) and a config beside it, watched; every onChange call is recorded. */
async function watched() {
  const root = mkdtempSync(join(tmpdir(), 'tw-watch-'))
  cleanups.push(() => { rmSync(root, { recursive: true, force: true }) })
  const rules = join(root, 'rules')
  mkdirSync(rules)
  const rule = join(rules, 'ecs-cluster-deleted.yaml')
  copyFileSync('rules/ecs/ecs-cluster-deleted.yaml', rule)
  const config = join(root, 'trailwarden.yaml')
  copyFileSync('trailwarden.example.yaml', config)
  const calls: string[][] = []
  const errors: Error[] = []
  // The daemon's debounce: long enough that one save or one git pull is one call.
  const watcher: PathWatcher = watchPaths([rules, config], (changed) => calls.push(changed), { debounceMs: 300, onError: (e) => errors.push(e) })
  cleanups.push(() => watcher.close())
  await watcher.ready
  /** Wait for the next call, which must name `path`. */
  const nextCall = async (before: number, path: string, what: string) => {
    await until(() => calls.length > before, 10_000, what)
    expect(calls[before]).toContain(path)
  }
  return { root, rules, rule, config, calls, errors, nextCall }
}

/** What sed -i, vim and most editors do: write a new file beside it, rename it over the old one. */
function replaceByRename(path: string, text: string) {
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

describe('watchPaths', () => {
  it('sees in-place edits, rename-replaces (again and again) of the config and of rules, and new files in new subfolders', async () => {
    const w = await watched()

    appendFileSync(w.config, '\n# edited in place\n')
    await w.nextCall(0, w.config, 'the in-place edit of the config')

    // node's fs.watch on the file stops here: after one rename it watches the deleted inode.
    replaceByRename(w.config, 'slack: { defaultChannel: "#a" }\n')
    await w.nextCall(1, w.config, 'the first rename-replace of the config')
    replaceByRename(w.config, 'slack: { defaultChannel: "#b" }\n')
    await w.nextCall(2, w.config, 'the second rename-replace of the config')
    replaceByRename(w.config, 'slack: { defaultChannel: "#c" }\n')
    await w.nextCall(3, w.config, 'the third rename-replace of the config')

    replaceByRename(w.rule, 'id: ecs-cluster-deleted\n')
    await w.nextCall(4, w.rule, 'the rename-replace of a rule')
    replaceByRename(w.rule, 'id: ecs-cluster-deleted\nseverity: high\n')
    await w.nextCall(5, w.rule, 'the second rename-replace of a rule')

    mkdirSync(join(w.rules, 'team', 'prod'), { recursive: true })
    const added = join(w.rules, 'team', 'prod', 'ecs-new.yaml')
    writeFileSync(added, 'id: ecs-new\n')
    await w.nextCall(6, added, 'a new file in a new subfolder')
    appendFileSync(added, 'severity: low\n')
    await w.nextCall(7, added, 'an edit of that file')

    rmSync(w.rule)
    await w.nextCall(8, w.rule, 'a removed rule')

    // One call per change: a late duplicate of any step would come before the sentinel's call.
    const sentinel = join(w.rules, 'ecs-sentinel.yaml')
    writeFileSync(sentinel, 'id: ecs-sentinel\n')
    await w.nextCall(9, sentinel, 'the sentinel')
    expect(w.calls).toHaveLength(10)
    expect(w.errors).toEqual([])
  })

  it('keeps watching a rules folder removed and copied back, and a config deleted and written anew (found by an attack run)', async () => {
    const w = await watched()
    rmSync(w.rules, { recursive: true })
    await until(() => w.calls.length > 0, 10_000, 'the removal')
    mkdirSync(w.rules)
    copyFileSync('rules/ecs/ecs-cluster-deleted.yaml', w.rule)
    await until(() => w.calls.flat().includes(w.rules) || w.calls.flat().includes(w.rule), 10_000, 'the folder back')
    // Watched again: an edit inside the new folder is seen.
    // Let the copy's own events settle into their call first.
    await new Promise((r) => setTimeout(r, 400))
    let before = w.calls.length
    appendFileSync(w.rule, '\n')
    await w.nextCall(before, w.rule, 'an edit in the folder copied back')
    rmSync(w.config)
    await until(() => w.calls.length > before + 1, 10_000, 'the config removal')
    writeFileSync(w.config, 'lists: {}\n')
    await until(() => w.calls.slice(before + 2).flat().includes(w.config), 10_000, 'the config written anew')
    await new Promise((r) => setTimeout(r, 400))
    before = w.calls.length
    appendFileSync(w.config, '\n')
    await w.nextCall(before, w.config, 'an edit of the config written anew')
    expect(w.errors).toEqual([])
  })

  it('one call for a burst of changes (a git pull), naming each changed path', async () => {
    const w = await watched()
    const others = ['a', 'b', 'c'].map((n) => join(w.rules, `ecs-${n}.yaml`))
    for (const p of others) writeFileSync(p, `id: ecs-${p}\n`)
    replaceByRename(w.config, 'lists: {}\n')
    await until(() => w.calls.length > 0, 10_000, 'the burst')
    // A sentinel after the first call: the next call is its own, so the burst gave exactly one.
    const sentinel = join(w.rules, 'ecs-sentinel.yaml')
    writeFileSync(sentinel, 'id: ecs-sentinel\n')
    await until(() => w.calls.flat().includes(sentinel), 10_000, 'the sentinel')
    expect(w.calls).toHaveLength(2)
    expect(w.calls[0]).toEqual(expect.arrayContaining([...others, w.config]))
    expect(w.calls[1]).toEqual([sentinel])
  })

  it('ignores dot-entries and node_modules below the rules folder (editor swap files, .git)', async () => {
    const w = await watched()
    mkdirSync(join(w.rules, '.git'))
    writeFileSync(join(w.rules, '.git', 'index.lock'), 'x')
    writeFileSync(join(w.rules, '.ecs-cluster-deleted.yaml.swp'), 'x')
    mkdirSync(join(w.rules, 'node_modules'))
    writeFileSync(join(w.rules, 'node_modules', 'x.yaml'), 'x')
    const sentinel = join(w.rules, 'ecs-sentinel.yaml')
    writeFileSync(sentinel, 'id: ecs-sentinel\n')
    await until(() => w.calls.flat().includes(sentinel), 10_000, 'the sentinel')
    expect(w.calls.flat()).toEqual([sentinel])
  })

  it('no call after close', async () => {
    const w = await watched()
    const watcher = watchPaths([w.rules], () => { throw new Error('called after close') }, { debounceMs: 10, onError: (e) => w.errors.push(e) })
    // (Its debounce is shorter than the open watcher's: had it seen the change, it would have called first.)
    await watcher.ready
    await watcher.close()
    writeFileSync(join(w.rules, 'ecs-late.yaml'), 'id: ecs-late\n')
    await until(() => w.calls.length > 0, 10_000, 'the open watcher')
    expect(w.errors).toEqual([])
  })
})
