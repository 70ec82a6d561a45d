/** The few Block Kit shapes trailwarden sends (https://api.slack.com/reference/block-kit/blocks). */
export interface TextObject { type: 'mrkdwn' | 'plain_text', text: string, emoji?: boolean }
export type Block =
  | { type: 'header', text: TextObject }
  | { type: 'section', text?: TextObject, fields?: TextObject[] }
  | { type: 'context', elements: TextObject[], block_id?: string }
  | { type: 'divider' }
  | { type: 'actions', block_id?: string, elements: ButtonElement[] }

/** A button (https://docs.slack.dev/reference/block-kit/block-elements/button-element): its value is at most 2,000 characters. */
export interface ButtonElement { type: 'button', action_id: string, text: TextObject, value: string, style?: 'primary' | 'danger' }

export interface SlackMessage {
  /** The notification and fallback text. */
  text: string
  blocks: Block[]
}

/** Slack's documented limits for the blocks used. */
export const LIMITS = { headerText: 150, sectionText: 3000, fieldText: 2000, fields: 10, blocks: 50, contextElements: 10 } as const
