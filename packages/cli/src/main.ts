#!/usr/bin/env node
// first: signals during start-up are handled too
import './interruption';
import './prestart';
import { Command } from 'commander';
import { SRNN_VERSION } from '@srnn/core';
import { registerDashboardCommand } from './commands/dashboard-command';
import { registerPaperCommand } from './commands/paper-command';
import { registerPlotCommand } from './commands/plot-command';
import { registerPluginsCommand } from './commands/plugins-command';
import { registerResumeCommand } from './commands/resume-command';
import { registerRunCommand } from './commands/run-command';
import { registerSchemaCommand } from './commands/schema-command';
import { registerValidateCommand } from './commands/validate-command';
import { registerWorkerCommand } from './commands/worker-command';

const program = new Command('srnn')
  .description('self-replicating neural networks: run scenario files')
  .version(SRNN_VERSION)
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

registerRunCommand(program);
registerResumeCommand(program);
registerValidateCommand(program);
registerPluginsCommand(program);
registerSchemaCommand(program);
registerPlotCommand(program);
registerPaperCommand(program);
registerDashboardCommand(program);
registerWorkerCommand(program);

program.parseAsync(process.argv);
