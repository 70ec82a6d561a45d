import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Every module a file imports statically, followed through relative imports: the modules Node loads when it starts
 * that file. Dynamic `import()` is not followed (it loads only when called), nor is `import type`.
 */
function staticGraph(entry: string): { files: Set<string>, packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    const text = readFileSync(file, 'utf8')
    // `import type` is erased by the compiler: it loads nothing.
    for (const m of text.matchAll(/^\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
      const spec = m[1] ?? m[2] ?? ''
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
      else packages.add(spec)
    }
  }
  visit(resolve(entry))
  return { files, packages }
}

describe('DuckDB stays out of the daemon', () => {
  it.each(['src/cli.ts', 'src/daemon/startDaemon.ts', 'src/index.ts'])('%s never imports @duckdb statically', (entry) => {
    const { files, packages } = staticGraph(entry)
    expect(files.size).toBeGreaterThan(1)
    expect([...packages].filter((p) => p.startsWith('@duckdb'))).toEqual([])
  })

  it('a DuckDB audit or a replay loads no AWS SDK client and no Slack: start-up is a share of P8\'s time', () => {
    for (const entry of ['src/commands/audit.ts', 'src/commands/auditSql.ts', 'src/commands/replay.ts']) {
      const { packages } = staticGraph(entry)
      expect([...packages].filter((p) => p.startsWith('@aws-sdk') || p.startsWith('@slack') || p === 'fastify'), entry).toEqual([])
    }
  })

  it('the audit loads it only with a dynamic import', () => {
    const text = readFileSync(join('src', 'commands', 'auditDuckdb.ts'), 'utf8')
    expect(text).toContain('await import(\'@duckdb/node-api\')')
    expect(text).not.toMatch(/^import [^t].*@duckdb/m)
  })

  it('the image installs no optional dependency', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8')
    const runtimeInstall = dockerfile.split('\n').filter((l) => l.includes('npm ci') && l.includes('--omit=dev'))
    expect(runtimeInstall.length).toBe(1)
    expect(runtimeInstall[0]).toContain('--omit=optional')
  })
})
