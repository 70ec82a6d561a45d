import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { copyRules, startHarness, until } from '../support/daemonHarness.js'
import { useSlackDouble } from '../support/slackDouble.js'
import { useSqsEmulator } from '../support/sqsEmulator.js'

const sqs = useSqsEmulator()
const slack = useSlackDouble()

/** Start the daemon; stopped when the test ends, whatever happens (stop() in the test flushes the sink first). */
async function start(name: string, now: () => number) {
  const { queueUrl } = await sqs().createQueueWithDlq(name)
  const h = await startHarness(sqs(), slack(), queueUrl, { ...rulesWithExpiringException(), now })
  let stopped: Promise<unknown> | undefined
  const stop = () => (stopped ??= h.daemon.stop(2_000))
  onTestFinished(async () => { await stop() })
  return { ...h, stop }
}

/** The injected clock: fixed dates, advancing with elapsed time so the daemon's own timing works as usual. */
const clockFrom = (iso: string) => {
  const started = Date.now()
  return () => Date.parse(iso) + (Date.now() - started)
}

/** The bundled rules, with an exception on ecs-console-change-in-prod whose last day is 2026-12-01 and a test relying on it. */
function rulesWithExpiringException() {
  const copy = copyRules()
  const file = join(copy.rulesDir, 'ecs', 'ecs-console-change-in-prod.yaml')
  const text = readFileSync(file, 'utf8')
    .replace(
      '    match: { actor.role: [{ list: break_glass_roles }] }\n',
      '    match: { actor.role: [{ list: break_glass_roles }] }\n  - reason: alice migrates the services by hand\n    expires: 2026-12-01\n    match: { actor.name: [alice@example.com] }\n',
    )
    .replace('    expect: match\n', '    at: 2026-12-02\n    expect: match\n')
    .concat('  - name: alice\'s migration is excepted\n    event: fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json\n    expect: suppressed\n')
  writeFileSync(file, text)
  return copy
}

describe('the clock cannot stop alerting (issue 18)', () => {
  it('run starts the day after an exception expired, warns that its test lapsed, and posts one notice to the rule\'s channel', async () => {
    const h = await start('exception-lapsed', clockFrom('2026-12-02T09:00:00Z'))
    await until(h.ready, 10_000, 'ready')
    const warnings = h.logs().filter((l) => l.level === 40).map((l) => String(l.msg))
    expect(warnings.some((w) => w.includes('test "alice\'s migration is excepted" lapsed: exception "alice migrates the services by hand" expired on 2026-12-01'))).toBe(true)

    await until(() => slack().messages.length === 1, 10_000, 'the notice')
    const [notice] = slack().messages
    expect(notice?.channel).toBe('C0PRODCH') // where the rule's prod alerts go (the example config's env route)
    const shown = JSON.stringify(notice)
    expect(shown).toContain('alice migrates the services by hand')
    expect(shown).toContain('ecs-console-change-in-prod.yaml:22')
    expect(shown).toContain('expired on 2026-12-01')

    // The same day, a reload checks again: the notice is not repeated.
    expect(await h.daemon.reload('test')).toBe(true)
    await h.stop()
    expect(slack().messages).toHaveLength(1)
  })

  it('14 days before the expiry the rule\'s channel is told once', async () => {
    const h = await start('exception-expiring', clockFrom('2026-11-18T09:00:00Z'))
    await until(() => slack().messages.length === 1, 10_000, 'the notice')
    expect(slack().messages[0]?.channel).toBe('C0PRODCH')
    expect(JSON.stringify(slack().messages[0])).toContain('expires on 2026-12-01 (14 days left)')
    expect(await h.daemon.reload('test')).toBe(true)
    await h.stop()
    expect(slack().messages).toHaveLength(1)
  })
})
