import { describe, expect, it } from 'vitest'
import { loadRules } from '../../../src/config/loadRules.js'
import { buildAlert } from '../../../src/core/alerts/buildAlert.js'
import { clean } from '../../../src/core/alerts/mrkdwn.js'
import { renderMinimal, renderReply, renderSlack } from '../../../src/core/alerts/renderSlack.js'
import { renderText } from '../../../src/core/alerts/renderText.js'
import { readEvents } from '../../../src/core/intake/readEvents.js'
import { alertFor } from '../../support/alerts.js'
import { fixtureText } from '../../support/fixtures.js'

const F = 'rules/ecs/fixtures/'
/** From a real alert: a caller's text that formats, links and pretends to be trailwarden's verdict. */
const FORMATTED = '✅ *Security reviewed — benign*\n_no action needed_ ~ignore~ :white_check_mark: https://evil.example/ok > quoted'
const FORMATTED_INERT = '✅ *Security reviewed — benign* _no action needed_ ~ignore~ :white_check_mark: https://evil.example/ok &gt; quoted'

/** The same, short enough to be a name or a label (they are bounded at 60 characters). */
const SHORT = '✅ *Reviewed*\n_ok_ :tada: https://x.example'
const SHORT_INERT = '✅ *Reviewed* _ok_ :tada: https://x.example'

const sectionTexts = (message: { blocks: Array<{ type: string, text?: { text: string } }> }) => message.blocks.map((b) => b.text?.text ?? '')

describe('event-derived text renders inert, in code spans', () => {
  it('an errorMessage', async () => {
    const record = JSON.parse(fixtureText(`${F}BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json`)) as Record<string, unknown>
    record.errorMessage = FORMATTED
    const alert = await alertFor('inline', 'ecs-access-denied', JSON.stringify(record))
    expect(sectionTexts(renderSlack(alert))).toContain(`:no_entry: *The call failed:* \`AccessDeniedException\` — \`${FORMATTED_INERT}\``)
  })

  it('a container name (a task definition\'s rows are labelled by trailwarden, the name is in the value)', async () => {
    const record = JSON.parse(fixtureText(`${F}BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json`)) as { requestParameters: { containerDefinitions: Array<{ name: string }> } }
    record.requestParameters.containerDefinitions[0]!.name = SHORT
    const alert = await alertFor('inline', 'ecs-privileged-container', JSON.stringify(record))
    const request = sectionTexts(renderSlack(alert)).find((t) => t.startsWith('*Request*'))!
    expect(request).toContain(`\n• container: \`${SHORT_INERT}: docker.io/library/alpine:3.20 · privileged · adds SYS_ADMIN, NET_ADMIN`)
  })

  it('request keys used as labels (an API without a list of important parameters)', async () => {
    const { ruleSet, settings, config } = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
    const record = JSON.parse(fixtureText(`${F}BUILT__ecs__DeleteCluster__Root_console_mfaTrue.json`)) as Record<string, unknown>
    record.eventName = 'TagResource'
    record.requestParameters = { [SHORT]: 'v', '<!channel>': 'x', 'resourceArn': 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod' }
    const event = readEvents(JSON.stringify(record), settings).events[0]!
    const rule = ruleSet.rules.find((r) => r.id === 'ecs-root-activity')!
    const alert = buildAlert({ rule, severity: rule.severity }, event, config.accounts)
    const request = sectionTexts(renderSlack(alert)).find((t) => t.startsWith('*Request*'))!
    expect(request).toBe(`*Request*\n• \`${SHORT_INERT}\`: \`v\`\n• \`&lt;!channel&gt;\`: \`x\`\n• \`resourceArn\`: \`arn:aws:ecs:eu-west-1:111122223333:cluster/prod\``)
  })

  it('the summary line (notification text, thread reply, minimal rendering)', async () => {
    const record = JSON.parse(fixtureText(`${F}BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json`)) as { userIdentity: { arn: string } }
    record.userIdentity.arn = record.userIdentity.arn.replace('alice@example.com', '*alice* :tada: <!here> x.example')
    const alert = await alertFor('inline', 'ecs-exec-session', JSON.stringify(record))
    for (const text of [renderSlack(alert).text, renderReply(alert).text, renderMinimal(alert, 'msg_too_long').text]) {
      expect(text).toContain('`ExecuteCommand` by `*alice* :tada: &lt;!here&gt; x.example` in `acme-prod/eu-west-1`')
    }
  })
})

describe('invisible characters are removed', () => {
  // Each is invisible or reorders text; taken from Unicode's Default_Ignorable_Code_Point and format (Cf) characters.
  it.each([
    ['U+00AD soft hyphen', '\u00ad'],
    ['U+034F combining grapheme joiner', '\u034f'],
    ['U+061C Arabic letter mark', '\u061c'],
    ['U+115F Hangul choseong filler', '\u115f'],
    ['U+1160 Hangul jungseong filler', '\u1160'],
    ['U+180E Mongolian vowel separator', '\u180e'],
    ['U+200B zero-width space', '\u200b'],
    ['U+200D zero-width joiner', '\u200d'],
    ['U+2028 line separator', '\u2028'],
    ['U+2029 paragraph separator', '\u2029'],
    ['U+202E right-to-left override', '\u202e'],
    ['U+2066 left-to-right isolate', '\u2066'],
    ['U+2065 (reserved default-ignorable)', '\u2065'],
    ['U+3164 Hangul filler', '\u3164'],
    ['U+FE0F variation selector 16', '\ufe0f'],
    ['U+FEFF zero-width no-break space', '\ufeff'],
    ['U+FFA0 halfwidth Hangul filler', '\uffa0'],
    ['U+FFF9 interlinear annotation anchor', '\ufff9'],
    ['U+E0001 language tag', '\u{e0001}'],
    ['U+E0041 tag Latin capital A', '\u{e0041}'],
    ['U+E007F cancel tag', '\u{e007f}'],
    ['U+E0100 variation selector 17', '\u{e0100}'],
  ])('%s', async (_name, ch) => {
    expect(clean(`ad${ch}min`, 100)).toBe('admin')
    const record = JSON.parse(fixtureText(`${F}BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json`)) as { requestParameters: Record<string, unknown>, userIdentity: { arn: string } }
    record.requestParameters.command = `/bin/sh${ch} -c id`
    record.userIdentity.arn = record.userIdentity.arn.replace('alice@', `ali${ch}ce@`)
    const alert = await alertFor('inline', 'ecs-exec-session', JSON.stringify(record))
    const slack = JSON.stringify(renderSlack(alert))
    const text = renderText(alert, ['#security'])
    for (const out of [slack, text]) expect(out.includes(ch)).toBe(false)
    expect(slack).toContain('`/bin/sh -c id`')
    expect(text).toContain('alice@example.com')
  })
})
