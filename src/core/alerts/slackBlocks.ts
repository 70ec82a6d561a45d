/** The few Block Kit shapes trailwarden sends (https://api.slack.com/reference/block-kit/blocks). */
export interface TextObject { type: 'mrkdwn' | 'plain_text', text: string, emoji?: boolean }
export type Block =
  | { type: 'header', text: TextObject }
  | { type: 'section', text?: TextObject, fields?: TextObject[] }
  | { type: 'context', elements: TextObject[] }
  | { type: 'divider' }

export interface SlackMessage {
  /** The notification and fallback text. */
  text: string
  blocks: Block[]
}

/** Slack's documented limits for the blocks used. */
export const LIMITS = { headerText: 150, sectionText: 3000, fieldText: 2000, fields: 10, blocks: 50, contextElements: 10 } as const
