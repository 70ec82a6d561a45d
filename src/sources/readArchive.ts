import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { createGunzip } from 'node:zlib'

/** One body to read: a whole file, or one line of a JSON-lines file. */
export interface ArchiveBody {
  file: string
  /** 1-based line of a JSON-lines file; absent for a whole-file body. */
  line?: number
  body: string
}

export interface ArchiveError {
  file: string
  message: string
}

/** Largest single JSON document read from one file (a CloudTrail log file is rarely over a few MB). */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

const ARCHIVE_FILE = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/

/** Files under the paths, directories walked recursively in name order; "-" is standard input. */
async function* files(paths: readonly string[]): AsyncGenerator<string> {
  for (const p of paths) {
    if (p === '-') {
      yield p
      continue
    }
    const s = await stat(p)
    if (s.isDirectory()) {
      const entries = (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))
      // Inside folders only archive files are read (a README next to the logs is not damage); named files always are.
      yield* files(entries.filter((e) => !e.name.startsWith('.') && (e.isDirectory() || ARCHIVE_FILE.test(e.name))).map((e) => join(p, e.name)))
    } else yield p
  }
}

function open(file: string, stdin: NodeJS.ReadableStream): NodeJS.ReadableStream {
  if (file === '-') return stdin
  const raw = createReadStream(file)
  return file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw
}

/**
 * Stream CloudTrail archives one file at a time (a directory of any size is never held whole; gunzip is streamed).
 * A file whose first line is a complete JSON document is read line by line (CloudTrail's S3 log files are one
 * line; JSON lines are many); otherwise the file is one pretty-printed document. A damaged file (truncated gzip,
 * unreadable) is reported through onError with its name, and the next file is read.
 */
export async function* readArchive(
  paths: readonly string[],
  onError: (e: ArchiveError) => void,
  stdin: NodeJS.ReadableStream = process.stdin,
): AsyncGenerator<ArchiveBody> {
  for await (const file of files(paths)) {
    const stream = open(file, stdin)
    const buffered: string[] = []
    let bytes = 0
    let lineNo = 0
    let mode: 'unknown' | 'lines' | 'document' = 'unknown'
    try {
      const lines = createInterface({ input: stream, crlfDelay: Infinity })
      for await (const line of lines) {
        lineNo += 1
        if (mode === 'unknown') {
          if (line.trim() === '') continue
          mode = isCompleteJson(line) ? 'lines' : 'document'
        }
        if (mode === 'lines') {
          if (line.trim() !== '') yield { file, line: lineNo, body: line }
        } else {
          bytes += line.length + 1
          if (bytes > MAX_DOCUMENT_BYTES) throw new Error(`a single JSON document over ${MAX_DOCUMENT_BYTES} bytes`)
          buffered.push(line)
        }
      }
      if (mode === 'document') yield { file, body: buffered.join('\n') }
    } catch (err) {
      onError({ file, message: describe(err) })
      if ('destroy' in stream && typeof stream.destroy === 'function') (stream as { destroy: () => void }).destroy()
    }
  }
}

function isCompleteJson(line: string): boolean {
  const t = line.trim()
  if (!t.startsWith('{') || !t.endsWith('}')) return false
  try {
    JSON.parse(t)
    return true
  } catch {
    return false
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (e.code === 'Z_BUF_ERROR' || e.message.includes('unexpected end of file')) return 'truncated gzip (unexpected end of file)'
  if (e.code === 'Z_DATA_ERROR') return `not valid gzip (${e.message})`
  if (e.code === 'ENOENT') return 'no such file'
  return e.message
}
