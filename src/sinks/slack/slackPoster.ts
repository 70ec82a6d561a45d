import type { WebClient } from '@slack/web-api'
import type { Alert } from '../../core/alerts/alert.js'
import { renderMinimalSafely } from '../../core/alerts/renderSafely.js'
import type { SlackMessage } from '../../core/alerts/slackBlocks.js'
import { DeliveryError } from '../deliveryError.js'
import type { ChannelDirectory } from './channelDirectory.js'
import type { ChannelQueues } from './channelQueues.js'
import { DELIVERY_EVENT_TYPE } from './postedLookup.js'

export interface Posted {
  ts: string
  /** The channel's id as Slack answered it: chat.update needs the id, not the #name. */
  channelId: string
}

/**
 * chat.postMessage and chat.update for the sink, each through the channel's Retry-After and failure classes. A post
 * made under a delivery key carries it as message metadata (postedLookup.ts finds it after a takeover); every answer
 * teaches the directory the channel's ID.
 */
export class SlackPoster {
  constructor(
    private readonly client: WebClient,
    private readonly queues: ChannelQueues,
    private readonly directory?: ChannelDirectory,
  ) {}

  async post(channel: string, message: SlackMessage, threadTs?: string, deliveryKey?: string): Promise<Posted> {
    const res = await this.queues.call(channel, 'chat.postMessage', () =>
      this.client.chat.postMessage({
        channel,
        text: message.text,
        ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(deliveryKey ? { metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: deliveryKey } } } : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    )
    this.directory?.learn(channel, res.channel)
    return { ts: res.ts ?? '', channelId: res.channel ?? channel }
  }

  /** Post an alert; when Slack rejects the payload itself, post the minimal text-only rendering instead. */
  async postAlert(alert: Alert, channel: string, message: SlackMessage, threadTs?: string, deliveryKey?: string): Promise<Posted> {
    try {
      return await this.post(channel, message, threadTs, deliveryKey)
    } catch (err) {
      if (err instanceof DeliveryError && err.kind === 'payload') return this.post(channel, renderMinimalSafely(alert, err.code), threadTs, deliveryKey)
      throw err
    }
  }

  async update(channel: string, posted: Posted, message: SlackMessage): Promise<void> {
    await this.queues.call(channel, 'chat.update', () =>
      this.client.chat.update({ channel: posted.channelId, ts: posted.ts, text: message.text, blocks: message.blocks }))
  }
}
