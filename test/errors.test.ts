import { describe, expect, it } from 'vitest'
import { ConfigError, FileReadError, RuleSetError, TrailwardenError, WatchError } from '../src/errors.js'

const errno = (code: string, message: string) => Object.assign(new Error(message), { code })

describe('errors say what failed, where, and what to do', () => {
  it.each([
    [errno('ENOENT', 'ENOENT: no such file or directory, open \'rules/x.yaml\''), 'cannot read rules/x.yaml: ENOENT (it does not exist (removed while it was read, or a symlink to nothing)) — restore it or remove the link; the next reload reads it again'],
    [errno('EACCES', 'EACCES: permission denied'), 'cannot read rules/x.yaml: EACCES (permission denied) — make it readable by the user trailwarden runs as'],
    [errno('EXDEV', 'EXDEV: cross-device link not permitted'), 'cannot read rules/x.yaml: EXDEV (cross-device link not permitted) — check the file and its folder'],
    [new Error('boom'), 'cannot read rules/x.yaml: EUNKNOWN (boom) — check the file and its folder'],
  ])('FileReadError.from(%s)', (cause, message) => {
    const err = FileReadError.from('rules/x.yaml', cause)
    expect(err.message).toBe(message)
    expect(err.path).toBe('rules/x.yaml')
    expect(err.cause).toBe(cause)
    expect(err).toBeInstanceOf(TrailwardenError)
    expect(err.name).toBe('FileReadError')
  })

  it('WatchError names the limit to raise when inotify runs out of watches', () => {
    const err = new WatchError('/srv/rules', errno('ENOSPC', 'ENOSPC: System limit for number of file watchers reached'))
    expect(err.message).toBe('cannot watch /srv/rules for changes: ENOSPC: System limit for number of file watchers reached — raise fs.inotify.max_user_watches (or watch fewer files); send SIGHUP to reload meanwhile')
    expect(err.name).toBe('WatchError')
  })

  it('RuleSetError and ConfigError keep their lists (callers log .lines and .problems)', () => {
    const rules = new RuleSetError([
      { file: 'rules/a.yaml', line: 3, col: 11, ruleId: 'a', message: 'severity must be one of info, low, medium, high, critical', severity: 'error' },
      { file: 'rules/b.yaml', line: 9, col: 5, ruleId: 'b', message: 'exception expires soon', severity: 'warning' },
    ])
    expect(rules.lines).toEqual(['rules/a.yaml:3:11 a: severity must be one of info, low, medium, high, critical'])
    expect(rules.message).toBe('1 problem in the rules or config:\nrules/a.yaml:3:11 a: severity must be one of info, low, medium, high, critical')
    expect(rules.name).toBe('RuleSetError')
    const config = new ConfigError(['TRAILWARDEN_QUEUE_URL is required', 'PORT is "eighty": expected number, received NaN'])
    expect(config.problems).toHaveLength(2)
    expect(config.message).toBe('invalid configuration:\n- TRAILWARDEN_QUEUE_URL is required\n- PORT is "eighty": expected number, received NaN')
    expect(config).toBeInstanceOf(TrailwardenError)
    expect(config.name).toBe('ConfigError')
  })
})
