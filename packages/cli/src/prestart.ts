// Loaded right after ./interruption, before the rest of srnn: the worker thread that `run` and
// `paper` compute in loads srnn's modules while this thread loads its own.
import { prestartWorkerThread } from '@srnn/runner/worker-thread';

if (process.argv[2] === 'run' || process.argv[2] === 'paper') prestartWorkerThread();
