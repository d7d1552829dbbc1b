import type { RunContext } from '../context.js'
import type { Command } from '../inputs.js'
import type { Report } from '../report/report.js'
import { configureCommand } from './configure.js'
import { exportCommand } from './export.js'
import { cancelCommand, goLiveCommand, statusCommand } from './lifecycle.js'
import { listCommand } from './list.js'
import { publishCommand } from './publish.js'
import { showCommand } from './show.js'

export type CommandHandler = (ctx: RunContext) => Promise<Report>

/** One handler per command; each file in this folder is orchestration only. */
export const COMMAND_HANDLERS: Record<Command, CommandHandler> = {
  list: listCommand,
  show: showCommand,
  publish: publishCommand,
  'go-live': goLiveCommand,
  status: statusCommand,
  cancel: cancelCommand,
  configure: configureCommand,
  export: exportCommand
}
