import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/** The README's "Folder map" section: what a newcomer reads to find where each decision lives. */
const map = (() => {
  const readme = readFileSync('README.md', 'utf8')
  const start = readme.indexOf('## Folder map')
  const end = readme.indexOf('\n## ', start + 1)
  return readme.slice(start, end === -1 ? undefined : end)
})()

const folders = (dir: string): string[] =>
  readdirSync(dir).map((f) => join(dir, f)).filter((p) => statSync(p).isDirectory()).flatMap((p) => [p, ...folders(p)])

describe('the README folder map', () => {
  it('names every folder under src/', () => {
    const missing = folders('src').filter((f) => !map.includes(`\`${f}/\``))
    expect(missing).toEqual([])
  })

  it('names only paths that exist', () => {
    const named = [...map.matchAll(/`((?:src|test|rules|schema|examples|deploy|bench|scripts)\/[^`\s]*)`/g)].map((m) => m[1]!)
    expect(named.length).toBeGreaterThan(10)
    expect(named.filter((p) => !existsSync(p))).toEqual([])
  })
})
