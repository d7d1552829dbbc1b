#!/usr/bin/env node
// `partner-center-emulator`: starts the emulator and prints what to feed the action.
// The only module with top-level side effects (it is the ncc entry point).
import { readFileSync } from 'node:fs'
import { startEmulator, type FaultRule, type StartOptions, type Timings } from './index.js'
import { DEMO_CREDENTIALS } from './seed/default.js'
import { FAULT_PROFILES } from './faults.js'
import { BEHAVIOURS } from './behaviours.js'

const HELP = `partner-center-emulator — a local Partner Center (v1 ingestion API), Entra token endpoint and blob service

Options:
  --port <n>              port (default 4010; 0 = random)
  --host <addr>           bind address (default 127.0.0.1)
  --seed <file>           JSON/YAML seed (default: built-in demo seed)
  --latency <ms>          added to every response
  --faults <profile|file> fault profile (${Object.keys(FAULT_PROFILES).join(', ')}) or a JSON file of rules
  --time-scale <n>        virtual clock multiplier (60 → a 5 s certification takes 83 ms)
  --token-lifetime <s>    access token lifetime (default 3599)
  --page-size <n>         /products page size (default 5)
  --timing name=ms        packageProcessing|automatedValidation|previewCreation|certification|goLive (repeatable)
  --behaviour <a,b,…>     switch on behaviours the real service has shown (${Object.keys(BEHAVIOURS).join(', ') || 'see emulator/README.md'})
  --quiet                 no request log on stdout
  --help                  this text
`

function parseArgs(argv: string[]): StartOptions | undefined {
  const o: StartOptions = { port: 4010 }
  const timings: Partial<Timings> = {}
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v)
    if (v === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const [flag, inline] =
      a.includes('=') && a.startsWith('--') && !a.startsWith('--timing=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined]
    const next = () => inline ?? argv[++i]
    switch (flag) {
      case '--help':
      case '-h':
        return undefined
      case '--port':
        o.port = num(flag, next())
        break
      case '--host':
        o.host = next()
        break
      case '--seed':
        o.seed = next()
        break
      case '--latency':
        o.latencyMs = num(flag, next())
        break
      case '--faults': {
        const v = next() ?? ''
        o.faults = v in FAULT_PROFILES ? v : (JSON.parse(readFileSync(v, 'utf8')) as FaultRule[])
        break
      }
      case '--behaviour':
      case '--behaviours':
        o.behaviours = [...(o.behaviours ?? []), ...(next() ?? '').split(',')]
        break
      case '--time-scale':
        o.timeScale = num(flag, next())
        break
      case '--token-lifetime':
        o.tokenLifetimeSeconds = num(flag, next())
        break
      case '--page-size':
        o.pageSize = num(flag, next())
        break
      case '--timing':
      case '--timing=': {
        const v = a.startsWith('--timing=') ? a.slice('--timing='.length) : argv[++i]
        const m = /^(\w+)=(\d+)$/.exec(v ?? '')
        if (
          !m ||
          ![
            'packageProcessing',
            'automatedValidation',
            'previewCreation',
            'certification',
            'goLive'
          ].includes(m[1]!)
        ) {
          throw new Error(`--timing expects name=ms, e.g. --timing certification=2000 (got '${v ?? ''}')`)
        }
        timings[m[1] as keyof Timings] = Number(m[2])
        break
      }
      case '--quiet':
        o.quiet = true
        break
      default:
        throw new Error(`unknown option '${a}' (see --help)`)
    }
  }
  o.timings = timings
  return o
}

async function main(): Promise<void> {
  let options: StartOptions | undefined
  try {
    options = parseArgs(process.argv.slice(2))
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`)
    process.exit(2)
  }
  if (!options) {
    process.stdout.write(HELP)
    return
  }
  const emu = await startEmulator(options)
  process.stdout.write(
    [
      `Partner Center emulator listening on ${emu.url}`,
      '',
      'Action inputs:',
      `  authority-host: ${emu.authorityHost}`,
      `  ingestion-api-url: ${emu.ingestionApiUrl}`,
      `  product-ingestion-api-url: ${emu.productIngestionApiUrl}`,
      '',
      'Demo credentials:',
      `  tenant-id: ${DEMO_CREDENTIALS.tenantId}   (or ${DEMO_CREDENTIALS.tenantDomain})`,
      `  client-id: ${DEMO_CREDENTIALS.clientId}`,
      `  client-secret: ${DEMO_CREDENTIALS.clientSecret}`,
      '',
      `Inspect: ${emu.url}/_emulator/state  ${emu.url}/_emulator/requests`,
      ''
    ].join('\n')
  )
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stdout.write(`\n${signal}: stopping\n`)
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${(e as Error).message}\n`)
  process.exit(1)
})
