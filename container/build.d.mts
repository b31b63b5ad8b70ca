import type { BuildOptions } from 'esbuild';

export function containerBuildOptions(overrides?: BuildOptions): BuildOptions;
