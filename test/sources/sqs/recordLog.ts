import type { SourceLog } from '../../../src/sources/sqs/sourceLog.js'

export interface LogLine {
  level: 'info' | 'warn' | 'error'
  msg: string
  obj: Record<string, unknown>
}

/** A SourceLog that keeps what it is told. */
export function recordLog(): SourceLog & { lines: LogLine[] } {
  const lines: LogLine[] = []
  const at = (level: LogLine['level']) => (obj: object, msg: string) => {
    lines.push({ level, msg, obj: obj as Record<string, unknown> })
  }
  return { lines, info: at('info'), warn: at('warn'), error: at('error') }
}
