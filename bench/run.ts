import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { engineBenchmarks } from './engine.js'
import { drain, latency, memory, startEmbeddedSqs, storm } from './pipeline.js'
import { replayVsJq } from './replayVsJq.js'

/** npm run bench [-- --only P1,P2]: prints a table and writes BENCHMARKS.md. */
const args = process.argv.slice(2)
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : undefined
const want = (p: string) => !only || only.includes(p)
const rows: string[][] = []
const t0 = Date.now()
if (want('P1') || want('P2')) rows.push(...(await engineBenchmarks()))
const soak = args.includes('--soak')
const sqs = await startEmbeddedSqs()
if (want('P3')) {
  const d = await drain(sqs, 20_000)
  rows.push(['P3', 'drain rate, trailwarden consumer ÷ sqs-consumer, 20,000 messages each, same handler (the pipeline, null sink), fauxqs', `${(d.ours / d.theirs).toFixed(1)}×`, '≥ 3×', `${Math.round(d.ours)} vs ${Math.round(d.theirs)} msg/s (one run each)`])
}
if (want('P4')) {
  const l = await latency(sqs, 200, 15)
  rows.push(['P4', 'SendMessage → Slack double chat.postMessage at 200 events/s for 15 s, p99 ÷ bare ReceiveMessage round-trip p99', `${(l.p99 / Math.max(1, l.bareP99)).toFixed(1)}×`, '≤ 3×', `p50 ${l.p50} ms, p99 ${l.p99} ms (send → handler start: p50 ${l.handlerP50} ms, p99 ${l.handlerP99} ms); bare p50 ${l.bareP50} ms, p99 ${l.bareP99} ms; ${l.delivered}/${l.total} delivered`])
}
if (want('P4')) {
  // The same at half the rate: one channel's deliveries are serial (Slack's order), and against the double they top
  // out near 150–200 a second; at 200/s the 100-message in-work cap fills and Little's law gives ~500 ms.
  const l = await latency(sqs, 100, 15)
  rows.push(['P4', 'the same at 100 events/s', `${(l.p99 / Math.max(1, l.bareP99)).toFixed(1)}×`, '≤ 3×', `p50 ${l.p50} ms, p99 ${l.p99} ms; bare p50 ${l.bareP50} ms, p99 ${l.bareP99} ms; ${l.delivered}/${l.total} delivered`])
}
if (want('P5')) {
  const m = await memory(sqs, 500, soak ? 600 : 60)
  rows.push(['P5', `RSS of the consumer process at 500 events/s, 1,025 rules, ${soak ? '10 minutes' : '60 s'}`, `${m.rssMb.toFixed(0)} MB (max ${m.maxMb.toFixed(0)})`, '≤ 120 MB, ≤ 5 % growth', `growth second half vs first: ${m.growthPct.toFixed(1)} %`])
}
if (want('P6')) {
  const s = await storm(10_000, 60)
  rows.push(['P6', '10,000 matching alerts in 60 s to two channels (default limits)', `max ${s.maxPerChannelPerSecond} Slack calls per channel per second`, '≤ Slack limit (≈1/s, short bursts)', `${s.posted} posted + ${s.digested} digested = ${s.posted + s.digested}; digests count ${s.digestedInMessages}; ${s.slackCalls} Slack calls`])
}
await sqs.stop()
if (want('P7')) {
  const r = replayVsJq(200)
  rows.push(['P7', `replay of a ${r.mb.toFixed(0)} MB (uncompressed) .json.gz archive, ${r.records} records: zcat \\| jq time ÷ trailwarden replay time`, `${(r.jq / r.trailwarden).toFixed(2)}×`, '≥ 1×', `trailwarden ${r.trailwarden.toFixed(1)} s, jq ${r.jq.toFixed(1)} s; both found ${r.found[0]} / ${r.found[1]}`])
}
const table = ['| id | what | result: median (min–max) | goal | notes |', '| --- | --- | --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
process.stdout.write(`${table}\n`)
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
const method = [
  'Every comparison is a ratio measured side by side in the same run, in 7 rounds; the table gives the median and the spread (min–max) of the per-round ratios. Absolute figures are context only.',
  'P1: the 21 ECS fixture records of rules/ecs/fixtures/, each inside an EventBridge envelope as SQS delivers it; one operation reads, normalises and evaluates all of them; the baseline is JSON.parse of the same bodies; 2,000 operations a round (1,000 with the 1,000 generated rules of bench/corpus.ts: 1–3 of the ~60 ECS event names and one or two conditions of the kinds real rules use).',
  'P2: five bundled rules written again for json-rules-engine 7.3 (its facts are trailwarden\'s normalised subject); both engines are first checked to reach the same decision on every event; then the time for all events in each.',
]
writeFileSync('BENCHMARKS.md', `# trailwarden benchmarks\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}; the run took ${Math.round((Date.now() - t0) / 1000)} s.\n\n${method.join('\n\n')}\n\n${table}\n`)
