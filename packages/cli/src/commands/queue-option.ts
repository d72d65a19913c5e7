import type { Command } from 'commander';
import { QueueExecutor, RedisUnreachableError, checkRedisUrl } from '@srnn/queue';
import type { RunExecutor, Srnn } from '@srnn/runner';
import { UsageError } from '../command-support';

/** `--queue URL` of the commands that run sweeps (`srnn run`, `srnn paper`). */
export function queueOption(command: Command): Command {
  return command.option('--queue <url>', 'submit every run as a job to the srnn workers of this Redis (redis://host:port[/db], rediss://…; see srnn worker) instead of running it here');
}

/**
 * The executor of `--queue URL`: runs go to the queue's workers; figures are drawn by `local`
 * (which it closes). An unreachable Redis is a failure (exit 1), a malformed URL bad input.
 */
export async function queueExecutor(srnn: Srnn, url: string, local: RunExecutor): Promise<RunExecutor> {
  try {
    checkRedisUrl(url);
  } catch (error) {
    await local.close();
    throw new UsageError((error as Error).message);
  }
  try {
    return await QueueExecutor.connect({ url, plugins: srnn.plugins, local });
  } catch (error) {
    await local.close();
    if (error instanceof RedisUnreachableError) throw error;
    throw new Error(`--queue: ${(error as Error).message}`, { cause: error });
  }
}
