import { describe, expect, it } from 'vitest'
import { LIMITS } from '../../../src/core/alerts/slackBlocks.js'
import { renderMinimal, renderReply, renderSlack } from '../../../src/core/alerts/renderSlack.js'
import { renderDigest } from '../../../src/core/alerts/renderDigest.js'
import { alertFor } from '../../support/alerts.js'

const F = 'rules/ecs/fixtures/'

describe('renderSlack: payload snapshots on real fixtures', () => {
  it.each([
    ['BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'ecs-console-change-in-prod'],
    ['BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json', 'ecs-exec-session'],
    ['BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json', 'ecs-plaintext-secret-in-env'],
    ['BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json', 'ecs-access-denied'],
    ['ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs.json', 'ecs-mutation-without-mfa'],
  ])('%s (%s)', async (fixture, ruleId) => {
    const message = renderSlack(await alertFor(`${F}${fixture}`, ruleId), { mention: 'S0SECURITY' })
    expect(message).toMatchSnapshot()
  })

  it('says who, what, where, when, why, the runbook and links', async () => {
    const alert = await alertFor(`${F}BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json`, 'ecs-console-change-in-prod')
    const json = JSON.stringify(renderSlack(alert))
    for (const piece of [
      'HIGH · ECS change made from the AWS console in production',
      '`alice@example.com` (AssumedRole, via console, MFA)',
      '`UpdateService` on `prod-web/web`',
      '`acme-prod` (`111122223333`) · `eu-west-1` · env `prod`',
      '<!date^1793613787^{date_short_pretty} {time_secs}|2026-11-02T10:03:07.000Z>',
      'desired count: `3`',
      '_Matched:_ `eventSource = ecs.amazonaws.com`',
      '*Runbook*',
      '<https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/5b1d3c9e-0000-4000-9000-000000000003|View the event in CloudTrail>',
      '<https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod-web/services/web/health?region=eu-west-1|Open in the ECS console>',
    ]) expect(json).toContain(JSON.stringify(piece).slice(1, -1))
  })

  it('shows an error banner when the call failed', async () => {
    const alert = await alertFor(`${F}BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json`, 'ecs-access-denied')
    expect(JSON.stringify(renderSlack(alert).blocks[1])).toContain(':no_entry: *The call failed:* `AccessDeniedException`')
  })
})

describe('redaction: environment values and credentials never reach Slack', () => {
  it('names the variables of a task definition and hides their values', async () => {
    const alert = await alertFor(`${F}BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json`, 'ecs-plaintext-secret-in-env')
    const json = JSON.stringify(renderSlack(alert))
    expect(json).toContain('env LOG_LEVEL, DB_PASSWORD, AWS_SECRET_ACCESS_KEY (values hidden)')
    for (const secret of ['hunter2-prod-db', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'ASIAEXAMPLEKEYID1234']) expect(json).not.toContain(secret)
  })

  it('redacts credential shapes wherever they appear', async () => {
    const body = JSON.stringify({
      eventSource: 'ecs.amazonaws.com', eventName: 'ExecuteCommand', eventTime: '2026-11-02T10:00:00Z', awsRegion: 'eu-west-1',
      recipientAccountId: '111122223333', eventID: 'e1',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bob', userName: 'bob', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
      requestParameters: { cluster: 'prod-web', container: 'web', interactive: true, command: 'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY; curl -H "x: xoxb-1234567890-abcdefghij"' },
    })
    const json = JSON.stringify(renderSlack(await alertFor('inline', 'ecs-exec-session', body)))
    expect(json).not.toContain('wJalrXUtnFEMI')
    expect(json).not.toContain('xoxb-1234567890')
    expect(json).toContain('‹redacted secret key›')
    expect(json).toContain('‹redacted Slack token›')
  })
})

describe('injection: no event value can mention, link or format', () => {
  const hostile = [
    '<!channel>', '<!here>', '<!everyone>', '<@U0123ABCD>', '<!subteam^S0123ABCD>', '<#C0123ABCD>',
    '<https://evil.example/|click me>', '*bold* _it_ ~strike~ `code`', '```block```', '&lt;!channel&gt;',
    'a\u0000b\u001b[31mred\u001b[0m\u202eevil\u200b', '> quote', `<!channel>${'x'.repeat(60_000)}`,
  ]
  it.each(hostile.map((h) => [h.slice(0, 40), h]))('%s in every event field stays inert', async (_label, payload) => {
    const body = JSON.stringify({
      eventSource: 'ecs.amazonaws.com', eventName: 'ExecuteCommand', eventTime: payload, awsRegion: payload, eventID: payload,
      recipientAccountId: '111122223333', sourceIPAddress: payload, userAgent: payload,
      errorCode: undefined,
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::111122223333:assumed-role/${payload}/${payload}`, principalId: `x:${payload}`, sessionContext: { sessionIssuer: { arn: `arn:aws:iam::111122223333:role/${payload}` } } },
      requestParameters: { cluster: payload, container: payload, task: payload, command: payload, interactive: true },
    })
    const message = renderSlack(await alertFor('inline', 'ecs-exec-session', body), { mention: 'S0SECURITY' })
    const all = [message.text, ...message.blocks.map((b) => JSON.stringify(b))].join('\n')
    // The only angle-bracket constructs are trailwarden's own: the configured mention and the date.
    const constructs = [...all.matchAll(/<([^>]*)>/g)].map((m) => m[1]!)
    for (const c of constructs) expect(c.startsWith('!subteam^S0SECURITY') || c.startsWith('!date^')).toBe(true)
    expect(all).not.toMatch(/[\u0000-\u0008\u001b\u202e\u200b]/)
    // Values sit in code spans: a backtick inside a value cannot close one.
    for (const b of message.blocks) {
      const texts = 'text' in b && b.text ? [b.text.text] : 'fields' in b && b.fields ? b.fields.map((f) => f.text) : 'elements' in b ? b.elements.map((e) => (typeof e.text === 'string' ? e.text : e.text.text)) : []
      for (const t of texts) {
        expect(t.length).toBeLessThanOrEqual(LIMITS.sectionText)
        expect((t.match(/`/g) ?? []).length % 2).toBe(0)
      }
      if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.headerText)
      if (b.type === 'section' && b.fields) expect(b.fields.length).toBeLessThanOrEqual(LIMITS.fields)
    }
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks)
    expect(message.text.length).toBeLessThan(4000)
  })
})

describe('size bounds', () => {
  it('a 1 MB value renders within Slack limits, visibly truncated', async () => {
    const body = JSON.stringify({
      eventSource: 'ecs.amazonaws.com', eventName: 'ExecuteCommand', eventTime: '2026-11-02T10:00:00Z', awsRegion: 'eu-west-1', eventID: 'e',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bob' }, requestParameters: { cluster: 'c', command: 'y'.repeat(1_000_000) },
    })
    const message = renderSlack(await alertFor('inline', 'ecs-exec-session', body))
    const json = JSON.stringify(message)
    expect(json.length).toBeLessThan(20_000)
    expect(json).toContain('… (truncated)')
  })
})

describe('the other renderings', () => {
  it('a thread reply, the minimal fallback and a digest stay escaped and short', async () => {
    const alert = await alertFor('inline', 'ecs-exec-session', JSON.stringify({
      eventSource: 'ecs.amazonaws.com', eventName: 'ExecuteCommand', eventTime: '2026-11-02T10:00:00Z', awsRegion: 'eu-west-1', eventID: '<!channel>',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/<@U1>', userName: '<@U1>' }, requestParameters: { cluster: 'c' },
    }))
    for (const m of [renderReply(alert), renderMinimal(alert, 'msg_too_long'), renderDigest([alert, alert], '2026-11-02T10:00:00Z', 20)]) {
      const all = JSON.stringify(m)
      expect(all).not.toContain('<!channel>')
      expect(all).not.toContain('<@U1>')
    }
    expect(renderMinimal(alert, 'msg_too_long').blocks).toEqual([])
    expect(renderDigest([alert, alert], '2026-11-02T10:00:00Z', 20).text).toBe('Alert storm: 2 alerts summarized')
  })
})
