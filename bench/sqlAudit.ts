import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeArchive } from './replayVsJq.js'

export interface AuditRound {
  mb: number
  records: number
  duckdb: number
  replay: number
  jq: number
  found: [duckdb: number, replay: number, jq: number]
}

/**
 * P8: the P7 archive (S3 layout, .json.gz) through `trailwarden audit --engine duckdb` (the rule compiled to SQL),
 * `trailwarden replay` (the engine in Node) and `zcat | jq` (the same records by hand), one rule
 * (ecs-console-change-in-prod): wall time of each, order rotated between rounds, matches counted and compared.
 */
export function auditVsReplay(targetMb: number, rounds: number): AuditRound[] {
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-p8-'))
  const { bytes, records } = writeArchive(dir, targetMb)
  const time = (cmd: string, args: string[], header = 0) => {
    const t0 = performance.now()
    const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, env: { ...process.env, TRAILWARDEN_CONFIG: 'trailwarden.example.yaml' }, stdio: ['ignore', 'pipe', 'ignore'] })
    // audit exits 1 when a rule matched (findings): only other codes are failures.
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${String(r.status)}`)
    const out = r.stdout.toString()
    return { seconds: (performance.now() - t0) / 1000, lines: out.split('\n').filter(Boolean).length - header }
  }
  const filter = '.Records[] | select(.eventSource == "ecs.amazonaws.com" and .sessionCredentialFromConsole == "true" and .recipientAccountId == "111122223333" and (.errorCode == null) and (.readOnly != true)) | .eventID'
  const run = {
    duckdb: () => time(process.execPath, ['dist/cli.js', 'audit', dir, '--engine', 'duckdb', '--rule', 'ecs-console-change-in-prod', '--format', 'csv'], 1),
    replay: () => time(process.execPath, ['dist/cli.js', 'replay', dir, '--rule', 'ecs-console-change-in-prod', '--format', 'ndjson']),
    jq: () => time('sh', ['-c', `zcat ${dir}/*.json.gz | jq -c '${filter}'`]),
  }
  const order: Array<keyof typeof run> = ['duckdb', 'replay', 'jq']
  try {
    return Array.from({ length: rounds }, (_, i) => {
      const got: Partial<Record<keyof typeof run, { seconds: number, lines: number }>> = {}
      for (let k = 0; k < order.length; k++) {
        const name = order[(i + k) % order.length]!
        got[name] = run[name]()
      }
      const [d, r, j] = [got.duckdb!, got.replay!, got.jq!]
      return { mb: bytes / 2 ** 20, records, duckdb: d.seconds, replay: r.seconds, jq: j.seconds, found: [d.lines, r.lines, j.lines] }
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
