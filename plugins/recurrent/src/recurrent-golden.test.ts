import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfApplicationModule } from '@srnn/self-application';
import { selfTrainModule } from '@srnn/self-train';
import { describeGoldenRuns, type GoldenRun } from '@srnn/testing';
import recurrentModule from './recurrent-module';

/**
 * Seeded runs pinned to the numbers this implementation produced when its kernels had been checked
 * against hand computation, a float64 reference and finite differences (the other tests here): a
 * refactor that changes the numbers cannot pass silently. Population of 2 drawn with seed 1. The
 * tfjs backend's tests run them on tfjs.
 */
const GOLDEN = (JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'recurrent-golden.json'), 'utf8')) as { cases: GoldenRun[] }).cases;

describeGoldenRuns({ title: 'recurrent golden runs (seed 1, 2 networks)', modules: [recurrentModule, selfTrainModule, selfApplicationModule], cases: GOLDEN, backends: [['js', 1e-6]] });
