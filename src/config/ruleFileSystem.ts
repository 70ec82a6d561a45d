import { readdir, stat } from 'node:fs/promises'
import { readTextFile } from './readTextFile.js'

/** What loading rules needs from the file system; tests pass one that fails on cue (a file removed mid-load). */
export interface RuleFileSystem {
  /** A folder's entries, not following symlinks. */
  readdir: (path: string) => Promise<ReadonlyArray<{ name: string, isDirectory(): boolean, isSymbolicLink(): boolean }>>
  /** Follows symlinks: what a link points at. */
  stat: (path: string) => Promise<{ isDirectory(): boolean, dev: number, ino: number }>
  /** A regular file's text; throws when it cannot be read. */
  readText: (path: string) => Promise<string>
}

export const nodeRuleFileSystem: RuleFileSystem = {
  readdir: async (path) => readdir(path, { withFileTypes: true }),
  stat: async (path) => stat(path),
  readText: readTextFile,
}
