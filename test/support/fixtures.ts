import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url))

/** The text of a fixture, by its path under test/fixtures/. */
export const fixtureText = (path: string): string => readFileSync(`${fixturesDir}${path}`, 'utf8')

export const fixtureJson = (path: string): Record<string, unknown> => JSON.parse(fixtureText(path)) as Record<string, unknown>

/** Every .json fixture directly in a folder under test/fixtures/, as paths relative to test/fixtures/. */
export const fixturePaths = (folder: string): string[] =>
  readdirSync(`${fixturesDir}${folder}`)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${folder}/${f}`)
