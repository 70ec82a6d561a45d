import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** jq from Debian: the bench setup installs it when it is missing. */
function ensureJq(): void {
  if (spawnSync('jq', ['--version']).status === 0) return
  execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq jq'], { stdio: 'inherit' })
}

/**
 * P7: a generated CloudTrail archive (S3 layout, .json.gz, ≥ 200 MB uncompressed) through `trailwarden replay
 * --rule ecs-console-change-in-prod` and through `zcat | jq` selecting the same records (console ECS changes in the
 * prod account): wall time of each, and that both found the same number.
 */
/** A CloudTrail archive in S3's layout (.json.gz files of 2,000 records) of at least targetMb uncompressed; its size and record count. */
export function writeArchive(dir: string, targetMb: number): { bytes: number, records: number } {
  const fixtures = ['BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'ecs__DescribeClusters__AssumedRole_readOnly__logicmonitor.json', 'BUILT__ecs__RunTask__AssumedRole_sso_cli_execEnabled_publicIp_prod.json', 'BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_ecrImage_clean.json']
    .map((f) => JSON.parse(readFileSync(`rules/ecs/fixtures/${f}`, 'utf8')) as Record<string, unknown>)
  let bytes = 0
  let records = 0
  let file = 0
  while (bytes < targetMb * 2 ** 20) {
    const batch = Array.from({ length: 2000 }, (_, i) => ({ ...fixtures[(records + i) % fixtures.length]!, eventID: `p7-${records + i}` }))
    const text = JSON.stringify({ Records: batch })
    writeFileSync(join(dir, `111122223333_CloudTrail_eu-west-1_${String(file++).padStart(4, '0')}.json.gz`), gzipSync(text, { level: 1 }))
    bytes += text.length
    records += batch.length
  }
  return { bytes, records }
}

export interface ReplayRound {
  mb: number
  records: number
  trailwarden: number
  jq: number
  found: [number, number]
}

/** The archive is written once; each round times both tools on it, the order alternating between rounds. */
export function replayVsJq(targetMb: number, rounds: number): ReplayRound[] {
  ensureJq()
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-p7-'))
  const { bytes, records } = writeArchive(dir, targetMb)
  const time = (cmd: string, args: string[]) => {
    const t0 = performance.now()
    const out = execFileSync(cmd, args, { maxBuffer: 1 << 30, env: { ...process.env, TRAILWARDEN_CONFIG: 'trailwarden.example.yaml' } }).toString()
    return { seconds: (performance.now() - t0) / 1000, lines: out.split('\n').filter(Boolean).length }
  }
  const filter = '.Records[] | select(.eventSource == "ecs.amazonaws.com" and .sessionCredentialFromConsole == "true" and .recipientAccountId == "111122223333" and (.errorCode == null) and (.readOnly != true)) | .eventID'
  const ours = () => time(process.execPath, ['dist/cli.js', 'replay', dir, '--rule', 'ecs-console-change-in-prod', '--format', 'ndjson'])
  const theirs = () => time('sh', ['-c', `zcat ${dir}/*.json.gz | jq -c '${filter}'`])
  try {
    return Array.from({ length: rounds }, (_, i) => {
      let tw, jq
      if (i % 2 === 0) {
        tw = ours()
        jq = theirs()
      } else {
        jq = theirs()
        tw = ours()
      }
      return { mb: bytes / 2 ** 20, records, trailwarden: tw.seconds, jq: jq.seconds, found: [tw.lines, jq.lines] }
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
