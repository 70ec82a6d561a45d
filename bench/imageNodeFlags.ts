import { readFileSync } from 'node:fs'

/** The node flags of the image's ENTRYPOINT (Dockerfile), so P5 measures the process the image runs. */
export function imageNodeFlags(dockerfile = 'Dockerfile'): string[] {
  const line = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(dockerfile, 'utf8'))?.[1]
  if (!line) throw new Error('the Dockerfile has no exec-form ENTRYPOINT')
  const args = JSON.parse(line) as string[]
  return args.slice(1, args.indexOf('dist/cli.js'))
}
