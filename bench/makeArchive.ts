import { mkdirSync } from 'node:fs'
import { writeArchive } from './replayVsJq.js'

// For profiling replay by hand: node .bench-dist/bench/makeArchive.js DIR MB
const [dir = '/tmp/p7', mb = '50'] = process.argv.slice(2)
mkdirSync(dir, { recursive: true })
console.log(writeArchive(dir, Number(mb)))
