import type { Config } from '../config/configSchema.js'
import type { SlackSink } from '../sinks/slack/createSlackSink.js'

/**
 * The Slack sink of `replay --slack` and `audit --slack`: historical alerts posted to the config's live channels at
 * its pace. Loaded only then: Slack's client and the sink are no part of an audit that prints.
 */
export async function historySlackSink(config: Config, env: NodeJS.ProcessEnv): Promise<SlackSink> {
  const [{ createLogger, createSlackClient }, { createSlackSink }] = await Promise.all([import('./clients.js'), import('../sinks/slack/createSlackSink.js')])
  return createSlackSink({
    client: createSlackClient(env.SLACK_BOT_TOKEN ?? '', createLogger('warn'), env.SLACK_API_URL),
    fallbackChannel: config.slack.fallbackChannel,
    stormThreshold: config.slack.stormThreshold,
    channelIntervalMs: 1000 / config.slack.perChannelPerSecond,
  })
}
