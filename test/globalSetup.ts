import { execFileSync } from 'node:child_process'

/** Tests that start the real process need dist/ current: build it once per run (tsc, a few seconds). */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
}
