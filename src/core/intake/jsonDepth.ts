/**
 * Whether a parsed JSON value nests deeper than `max` levels. Iterative, so a hostile body cannot overflow
 * the stack here; it stops at the first path that is too deep. (V8's JSON.parse itself copes with deep
 * input, but JSON.stringify and any recursive walk downstream would not.)
 */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (depth > max) return true
    if (Array.isArray(node)) {
      for (const child of node) if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
    } else {
      for (const key in node as Record<string, unknown>) {
        const child = (node as Record<string, unknown>)[key]
        if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
      }
    }
  }
  return false
}
