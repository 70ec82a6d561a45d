import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { watch } from 'chokidar'
import { WatchError } from '../errors.js'

export interface WatchOptions {
  /** Quiet time after the last change before onChange runs: one call for a save, a rename or a git pull. */
  debounceMs?: number
  /** The watcher failed (a WatchError: inotify limit, …) or onChange threw. Required: a failure must be logged. */
  onError: (err: Error) => void
}

export interface PathWatcher {
  /** Resolves once the paths are being watched: a change made after it is seen. */
  ready: Promise<void>
  /** Stop watching; no onChange after it resolves. */
  close: () => Promise<void>
}

/**
 * Call onChange (debounced, with the changed paths) whenever anything below the given folders or files changes —
 * edited in place, replaced by rename (what `sed -i`, vim and most editors do), added in a new subfolder, removed.
 *
 * chokidar (5.x: the last major that runs on Node 20; 6 needs Node 22.22) rather than node's fs.watch: fs.watch on a
 * file follows the inode, so after the first rename-replace it watches a deleted file and sees nothing more (measured
 * here); and node's recursive mode on Linux is a JS walk with known races — missed events while it sets up
 * (nodejs/node#48437), ENOENT emitted as an 'error' when a folder vanishes mid-scan, as in a git pull
 * (nodejs/node#53350, fixed only in 2026 by nodejs/node#63686). chokidar watches each folder, re-resolves replaced
 * files, adds new subfolders as they appear and reports failures as events. Dot-entries and node_modules below a
 * watched folder are ignored, as the rule loader skips them.
 */
export function watchPaths(
  paths: readonly string[],
  onChange: (changed: string[]) => void,
  { debounceMs = 300, onError }: WatchOptions,
): PathWatcher {
  const roots = paths.map((p) => resolve(p))
  const ignored = (path: string) => {
    for (const root of roots) {
      const rel = relative(root, path)
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue
      return rel.split(sep).some((part) => part.startsWith('.') || part === 'node_modules')
    }
    return false
  }
  const watcher = watch(roots, { ignoreInitial: true, ignored, followSymlinks: true })
  // chokidar stops watching a root that is removed and never notices it coming back (an attack run: `rm -rf rules`
  // then a fresh copy left --watch deaf until SIGHUP; likewise a config deleted and written anew). So each root's
  // parent folder is watched one level deep, for the root alone, and a root that reappears is watched again.
  const rootSet = new Set(roots)
  const parents = [...new Set(roots.map((r) => dirname(r)))]
  const parentWatcher = watch(parents, {
    ignoreInitial: true,
    depth: 0,
    ignored: (path: string) => { const p = resolve(path); return !rootSet.has(p) && !parents.includes(p) },
  })
  const changed = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let closed = false

  const flush = () => {
    timer = undefined
    if (closed || changed.size === 0) return
    const batch = [...changed].sort()
    changed.clear()
    try {
      onChange(batch)
    } catch (err) {
      onError(err instanceof Error ? err : new Error(String(err)))
    }
  }
  const note = (path: string) => {
    changed.add(path)
    clearTimeout(timer)
    timer = setTimeout(flush, debounceMs)
  }
  watcher.on('all', (_event, path) => { note(path) })
  parentWatcher.on('all', (event, path) => {
    const root = resolve(path)
    if (!rootSet.has(root)) return
    if (event === 'add' || event === 'addDir') {
      watcher.unwatch(root)
      watcher.add(root)
    }
    note(root)
  })
  // An 'error' with no listener would be thrown by the EventEmitter and end the process.
  for (const w of [watcher, parentWatcher]) {
    w.on('error', (err) => {
      onError(new WatchError((err as NodeJS.ErrnoException).path ?? roots.join(', '), err))
    })
  }
  const ready = Promise.all([watcher, parentWatcher].map((w) => new Promise<void>((resolveReady) => w.once('ready', () => { resolveReady() })))).then(() => undefined)
  return {
    ready,
    close: async () => {
      closed = true
      clearTimeout(timer)
      await Promise.all([watcher.close(), parentWatcher.close()])
    },
  }
}
