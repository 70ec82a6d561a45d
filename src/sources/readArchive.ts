import { createReadStream } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { createGunzip, gunzip } from 'node:zlib'

/** One body to read: a whole file, or one line of a JSON-lines file. */
export interface ArchiveBody {
  file: string
  /** 1-based line of a JSON-lines file; absent for a whole-file body. */
  line?: number
  body: string
  /** The body already parsed, when reading it needed a parse anyway (so nobody parses it twice). */
  value?: unknown
}

export interface ArchiveError {
  file: string
  message: string
}

/** Largest single JSON document read from one file (a CloudTrail log file is rarely over a few MB). */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

const ARCHIVE_FILE = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/

/**
 * Files up to this size (on disk) are read whole and gunzipped off the main thread; larger ones and standard
 * input are streamed line by line. CloudTrail's own log files are a few MB.
 */
const WHOLE_FILE_BYTES = 64 * 1024 * 1024

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
 * Read CloudTrail archives one file at a time, in name order. A file whose first line is a complete JSON
 * document is read line by line (CloudTrail's S3 log files are one line; JSON lines are many); otherwise the
 * file is one pretty-printed document. A damaged file (truncated gzip, unreadable) is reported through
 * onError with its name, and the next file is read.
 *
 * While the caller works on one file the next one is already being read and gunzipped in libuv's thread
 * pool: with the parse on the main thread that keeps two cores busy, as `zcat | jq` does (npm run bench, P7).
 * Memory holds at most two files (each bounded by MAX_DOCUMENT_BYTES); bigger ones are streamed.
 */
export async function* readArchive(
  paths: readonly string[],
  onError: (e: ArchiveError) => void,
  stdin: NodeJS.ReadableStream = process.stdin,
): AsyncGenerator<ArchiveBody> {
  const pending = files(paths)
  const next = async () => {
    const r = await pending.next()
    // Settled into a value at once: a read that fails while the previous file is being worked on is not an unhandled rejection.
    return r.done ? undefined : { file: r.value, text: readWhole(r.value).then((t) => ({ t }), (err: unknown) => ({ err })) }
  }
  let current = await next()
  while (current) {
    const { file, text } = current
    current = await next()
    // Started now, awaited after this file's bodies: the reads overlap.
    const read = await text
    if ('err' in read) {
      onError({ file, message: describe(read.err) })
      continue
    }
    const whole = read.t
    if (whole === undefined) yield* streamFile(file, onError, stdin)
    // Read whole: bounded by MAX_DOCUMENT_BYTES already (a file's size on disk, gunzip's maxOutputLength).
    else yield* bodiesOf(file, linesOf(whole), whole)
  }
}

/** A whole file as text, or undefined when it should be streamed instead (standard input, big files). */
async function readWhole(file: string): Promise<string | undefined> {
  if (file === '-') return undefined
  const { size } = await stat(file)
  if (size > WHOLE_FILE_BYTES) return undefined
  const raw = await readFile(file)
  if (!file.endsWith('.gz')) return raw.toString('utf8')
  try {
    return (await gunzipAsync(raw, { maxOutputLength: MAX_DOCUMENT_BYTES })).toString('utf8')
  } catch (err) {
    // Too big to hold whole once unpacked: JSON lines, which the streaming reader takes a line at a time.
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined
    throw err
  }
}

const gunzipAsync = promisify(gunzip)

function* linesOf(text: string): Generator<string> {
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start)
    const stop = end < 0 ? text.length : end
    yield text.slice(start, stop)
    start = stop + 1
  }
}

/**
 * A file's bodies from its lines: a first line that is a complete JSON document means one body a line (JSON lines, or
 * CloudTrail's one-line S3 log files); anything else means the file is one document. `whole` is the file's text when
 * it was read whole, so a document is not joined again from its lines.
 */
async function* bodiesOf(file: string, lines: Iterable<string> | AsyncIterable<string>, whole?: string): AsyncGenerator<ArchiveBody> {
  const buffered: string[] = []
  let bytes = 0
  let lineNo = 0
  let mode: 'unknown' | 'lines' | 'document' = 'unknown'
  for await (const line of lines) {
    lineNo += 1
    if (mode === 'unknown') {
      if (line.trim() === '') continue
      const first = parseComplete(line)
      mode = first ? 'lines' : 'document'
      if (first) {
        yield { file, line: lineNo, body: line, value: first.value }
        continue
      }
      if (whole !== undefined) break
    }
    if (mode === 'lines') {
      if (line.trim() !== '') yield { file, line: lineNo, body: line }
    } else {
      bytes += line.length + 1
      if (bytes > MAX_DOCUMENT_BYTES) throw new Error(`a single JSON document over ${MAX_DOCUMENT_BYTES} bytes`)
      buffered.push(line)
    }
  }
  if (mode === 'document') yield { file, body: whole ?? buffered.join('\n') }
}

/** The streaming reader, for standard input and files too big to hold whole. */
async function* streamFile(file: string, onError: (e: ArchiveError) => void, stdin: NodeJS.ReadableStream): AsyncGenerator<ArchiveBody> {
  const stream = open(file, stdin)
  try {
    yield* bodiesOf(file, createInterface({ input: stream, crlfDelay: Infinity }))
  } catch (err) {
    onError({ file, message: describe(err) })
    if ('destroy' in stream && typeof stream.destroy === 'function') (stream as { destroy: () => void }).destroy()
  }
}

/** The line parsed, when it is a whole JSON object on its own; the value is passed on so it is parsed once. */
function parseComplete(line: string): { value: unknown } | undefined {
  const t = line.trim()
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined
  try {
    return { value: JSON.parse(t) as unknown }
  } catch {
    return undefined
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (e.code === 'Z_BUF_ERROR' || e.message.includes('unexpected end of file')) return 'truncated gzip (unexpected end of file)'
  if (e.code === 'Z_DATA_ERROR') return `not valid gzip (${e.message})`
  if (e.code === 'ENOENT') return 'no such file'
  return e.message
}
