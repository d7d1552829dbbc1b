import type { RunContext } from '../context.js'
import type { Command } from '../inputs.js'
import type { Report } from '../report/report.js'

export type CommandHandler = (ctx: RunContext) => Promise<Report>

/**
 * One handler per command, each file in this folder orchestration only. A command's module is
 * loaded when it runs: the bundle keeps the Product Ingestion schemas, the YAML parser and the zip
 * code in chunks of their own, so `list` does not pay to start them (every run pays start-up).
 */
export const COMMAND_HANDLERS: Record<Command, CommandHandler> = {
  list: async ctx => (await import('./list.js')).listCommand(ctx),
  show: async ctx => (await import('./show.js')).showCommand(ctx),
  publish: async ctx => (await import('./publish.js')).publishCommand(ctx),
  'go-live': async ctx => (await import('./lifecycle.js')).goLiveCommand(ctx),
  status: async ctx => (await import('./lifecycle.js')).statusCommand(ctx),
  cancel: async ctx => (await import('./lifecycle.js')).cancelCommand(ctx),
  configure: async ctx => (await import('./product-ingestion/configure.js')).configureCommand(ctx),
  export: async ctx => (await import('./product-ingestion/export.js')).exportCommand(ctx)
}
