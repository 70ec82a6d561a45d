import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url))
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** Paths under rules/ are the rule pack's own fixtures (shipped with the rules); the rest are under test/fixtures/. */
const resolveFixture = (path: string) => (path.startsWith('rules/') ? `${repoRoot}${path}` : `${fixturesDir}${path}`)

/** The text of a fixture, by its path under test/fixtures/ (or rules/…). */
export const fixtureText = (path: string): string => readFileSync(resolveFixture(path), 'utf8')

export const fixtureJson = (path: string): Record<string, unknown> => JSON.parse(fixtureText(path)) as Record<string, unknown>

/** Every .json fixture directly in a folder, as paths fixtureText takes. */
export const fixturePaths = (folder: string): string[] =>
  readdirSync(resolveFixture(folder))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${folder}/${f}`)
