import { join } from 'node:path'
import type { LocatedProblem } from '../core/rules/language/yamlSource.js'
import { FileReadError } from '../errors.js'
import { displayPath } from './displayPath.js'
import { fileProblem } from './fileProblem.js'
import { nodeRuleFileSystem, type RuleFileSystem } from './ruleFileSystem.js'

export interface RuleFileListing {
  /** Every .yaml/.yml path below the folder, sorted. */
  files: string[]
  /** Folders that could not be listed, dangling links, folders reached twice. */
  problems: LocatedProblem[]
}

const RULE_FILE = /\.ya?ml$/

/**
 * Every .yaml/.yml file below dir (rule files), skipping dot-folders and node_modules. Never throws: a folder that
 * cannot be listed or a dangling link is a problem at its path. Symlinked folders are followed once each (by device
 * and inode), so a link back to an ancestor ends instead of recursing forever.
 */
export async function findRuleFiles(dir: string, fs: RuleFileSystem = nodeRuleFileSystem): Promise<RuleFileListing> {
  const files: string[] = []
  const problems: LocatedProblem[] = []
  const seen = new Map<string, string>()

  const enter = async (path: string, isRoot: boolean): Promise<void> => {
    let entries
    try {
      const id = await fs.stat(path)
      const key = `${id.dev}:${id.ino}`
      const first = seen.get(key)
      if (first !== undefined) {
        problems.push({
          file: displayPath(path), line: 1, col: 1, severity: 'warning',
          message: `skipped: the same folder as ${displayPath(first)} (a symlink loop or a second link to it)`, fix: 'remove the extra link',
        })
        return
      }
      seen.set(key, path)
      entries = [...await fs.readdir(path)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    } catch (err) {
      problems.push(isRoot
        ? fileProblem(path, err, 'the rules folder', 'check TRAILWARDEN_RULES or --rules')
        : fileProblem(path, err, 'the folder'))
      return
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue
      const child = join(path, e.name)
      let isDirectory = e.isDirectory()
      if (e.isSymbolicLink()) {
        try {
          isDirectory = (await fs.stat(child)).isDirectory()
        } catch (err) {
          const failure = (err as NodeJS.ErrnoException).code === 'ENOENT' ? new FileReadError(child, 'ENOENT', 'a symlink to nothing') : err
          // A dangling link named like a rule file is a missing rule; any other is reported but does not stop a load.
          problems.push(RULE_FILE.test(e.name)
            ? fileProblem(child, failure, 'the rule file', 'point the link at the rule file or remove it')
            : { ...fileProblem(child, failure, 'the symlink', 'point the link at a folder of rules or remove it'), severity: 'warning' })
          continue
        }
      }
      if (isDirectory) await enter(child, false)
      else if (RULE_FILE.test(e.name)) files.push(child)
    }
  }

  await enter(dir, true)
  return { files: files.sort(), problems }
}
