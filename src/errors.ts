import { formatProblem, type LocatedProblem } from './core/rules/language/yamlSource.js'

/**
 * A problem an operator can fix (a file, a variable, a watcher), as opposed to a bug: the message says what failed,
 * where, and what to do. `instanceof TrailwardenError` is how a caller tells the two apart.
 */
export class TrailwardenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/**
 * The rule files or trailwarden.yaml are invalid. Carries every problem, each as
 * `file:line:col rule-id: what is wrong — how to fix it`.
 */
export class RuleSetError extends TrailwardenError {
  /** Each problem as one line. */
  readonly lines: string[]

  constructor(problems: LocatedProblem[] | string[]) {
    const lines = problems.map((p) => (typeof p === 'string' ? p : p.severity === 'error' ? formatProblem(p) : undefined)).filter((l) => l !== undefined)
    super(`${lines.length} problem${lines.length === 1 ? '' : 's'} in the rules or config:\n${lines.join('\n')}`)
    this.lines = lines
  }
}

/** The environment (variables, flags) is invalid. Lists every problem at once. */
export class ConfigError extends TrailwardenError {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `- ${p}`).join('\n')}`)
  }
}

/** Why a file could not be read, in words, and what an operator does about it; by errno code. */
const READ_FAILURES: Record<string, { reason: string, fix: string }> = {
  ENOENT: { reason: 'it does not exist (removed while it was read, or a symlink to nothing)', fix: 'restore it or remove the link; the next reload reads it again' },
  EACCES: { reason: 'permission denied', fix: 'make it readable by the user trailwarden runs as' },
  EPERM: { reason: 'operation not permitted', fix: 'make it readable by the user trailwarden runs as' },
  ELOOP: { reason: 'too many levels of symlinks (a symlink loop)', fix: 'point the link at a real file' },
  ENOTDIR: { reason: 'a part of its path is not a folder', fix: 'fix the path' },
  EISDIR: { reason: 'it is a folder', fix: 'name a file' },
  EMFILE: { reason: 'too many open files', fix: 'raise the open-file limit (ulimit -n); the next reload tries again' },
  ENFILE: { reason: 'too many open files in the system', fix: 'raise the open-file limit; the next reload tries again' },
  EIO: { reason: 'an I/O error', fix: 'check the disk or volume it is on' },
  NOT_A_FILE: { reason: 'it is not a regular file', fix: 'rule files, test events and the config must be regular files (not a FIFO, socket or device)' },
  TOO_LARGE: { reason: 'it is too large', fix: 'split it; files trailwarden reads are at most 16 MiB' },
}

/** A file trailwarden needs (a rule file, a test event, the config, a rules folder) could not be read. */
export class FileReadError extends TrailwardenError {
  /** The errno code (ENOENT, EACCES, …) or NOT_A_FILE / TOO_LARGE. */
  readonly code: string
  /** What went wrong, in words, with the code: "ENOENT (it does not exist …)". */
  readonly reason: string
  /** What to do about it. */
  readonly fix: string

  constructor(readonly path: string, code: string, detail?: string, options?: ErrorOptions) {
    const known = READ_FAILURES[code]
    const reason = `${code} (${detail ?? known?.reason ?? 'unexpected error'})`
    const fix = known?.fix ?? 'check the file and its folder'
    super(`cannot read ${path}: ${reason} — ${fix}`, options)
    this.code = code
    this.reason = reason
    this.fix = fix
  }

  /** Any error thrown while reading `path` as a FileReadError (kept as is when it already is one). */
  static from(path: string, err: unknown): FileReadError {
    if (err instanceof FileReadError) return err
    const code = (err as NodeJS.ErrnoException | undefined)?.code
    const detail = err instanceof Error ? err.message : String(err)
    if (typeof code === 'string') return new FileReadError(path, code, READ_FAILURES[code] ? undefined : detail.replace(`${code}: `, ''), { cause: err })
    return new FileReadError(path, 'EUNKNOWN', detail, { cause: err })
  }
}

/**
 * Watching the rules or the config for --watch failed (the inotify watch limit, a folder that went away). Changes
 * are no longer seen; SIGHUP still reloads.
 */
export class WatchError extends TrailwardenError {
  readonly fix: string

  constructor(readonly path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code
    const fix = code === 'ENOSPC'
      ? 'raise fs.inotify.max_user_watches (or watch fewer files); send SIGHUP to reload meanwhile'
      : code === 'EMFILE'
        ? 'raise the open-file limit (ulimit -n); send SIGHUP to reload meanwhile'
        : 'restart with --watch once the path is back; send SIGHUP to reload meanwhile'
    super(`cannot watch ${path} for changes: ${cause instanceof Error ? cause.message : String(cause)} — ${fix}`, { cause })
    this.fix = fix
  }
}
