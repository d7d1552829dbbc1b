import type { RunContext } from '../context.js'
import type { Command } from '../inputs.js'
import type { Report } from '../report/report.js'
import { listCommand } from './list.js'
import { showCommand } from './show.js'

export type CommandHandler = (ctx: RunContext) => Promise<Report>

/** One handler per command; each file in this folder is orchestration only. */
export const COMMAND_HANDLERS: Partial<Record<Command, CommandHandler>> = {
  list: listCommand,
  show: showCommand
}
