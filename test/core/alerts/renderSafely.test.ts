import { describe, expect, it } from 'vitest'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { renderDigestSafely, renderMinimalSafely, renderReplySafely, renderSlackSafely, renderTextSafely } from '../../../src/core/alerts/renderSafely.js'
import { alertFor } from '../../support/alerts.js'

const F = 'rules/ecs/fixtures/'

/** A real alert one of whose fields throws when read: what no value from JSON can do, and so the last guard's case. */
async function alertThatThrows(field: keyof Alert, fromEvent: Partial<Alert> = {}): Promise<{ alert: Alert, errors: unknown[] }> {
  const alert = { ...(await alertFor(`${F}BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json`, 'ecs-exec-session')), ...fromEvent }
  Object.defineProperty(alert, field, { get: () => { throw new TypeError('Cannot convert object to primitive value') }, enumerable: true })
  return { alert, errors: [] }
}

describe('renderSafely: a rendering that still throws becomes a minimal one that says so', () => {
  it('renderSlackSafely: rule id, severity, title and event key, escaped; onError gets the error', async () => {
    const { alert, errors } = await alertThatThrows('details', { eventKey: '111122223333:<!channel> *now*' })
    const message = renderSlackSafely(alert, { mention: 'S0SECURITY' }, (err) => errors.push(err))
    const all = JSON.stringify(message)
    expect(all).toContain('[HIGH] Interactive shell opened in a running task (ECS Exec)')
    expect(all).toContain('rule `ecs-exec-session`')
    expect(all).toContain('event `111122223333:&lt;!channel&gt; *now*`')
    expect(all).toContain('could not render this alert in full')
    expect(all).not.toContain('<!channel>')
    expect(errors).toHaveLength(1)
    expect(String(errors[0])).toContain('Cannot convert object to primitive value')
  })

  it('renderReplySafely, renderMinimalSafely, renderTextSafely, renderDigestSafely', async () => {
    const { alert } = await alertThatThrows('actor')
    for (const message of [renderReplySafely(alert), renderMinimalSafely(alert, 'msg_too_long')]) {
      expect(message.text).toContain('could not render this alert in full')
      expect(message.text).toContain('rule `ecs-exec-session`')
    }
    const line = renderTextSafely(alert, ['#security'])
    expect(line).toBe('[HIGH] Interactive shell opened in a running task (ECS Exec)  (ecs-exec-session) event 111122223333:5b1d3c9e-0000-4000-9000-000000000002: trailwarden could not render this alert in full\n')
    const digest = renderDigestSafely([alert, alert, alert], '2026-11-02T10:00:00Z', 20)
    expect(digest.text).toBe('Alert storm: 3 alerts summarized')
    expect(JSON.stringify(digest.blocks)).toContain('• [HIGH] `ecs-exec-session` event `111122223333:5b1d3c9e-0000-4000-9000-000000000002`')
  })

  it('the fallback itself survives fields that throw and a reporter that throws', async () => {
    const { alert } = await alertThatThrows('title')
    Object.defineProperty(alert, 'ruleId', { get: () => { throw new Error('no') } })
    const message = renderSlackSafely(alert, {}, () => { throw new Error('reporter down') })
    expect(message.text).toContain('[HIGH] Alert — rule ` `')
    expect(renderTextSafely(alert, [])).toContain('could not render')
  })

  it('a well-formed alert renders in full through the safe entries', async () => {
    const alert = await alertFor(`${F}BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json`, 'ecs-exec-session')
    const errors: unknown[] = []
    const message = renderSlackSafely(alert, {}, (e) => errors.push(e))
    expect(message.blocks.length).toBeGreaterThan(3)
    expect(JSON.stringify(message)).not.toContain('could not render')
    expect(renderTextSafely(alert, ['#security'])).toContain('  who      `alice@example.com`'.replace(/`/g, ''))
    expect(errors).toEqual([])
  })
})
