// Types for launch.cjs, for the TypeScript side of the suite.
import type { ChildProcess } from 'node:child_process';

export const repoRoot: string;
export const targetDir: string;
export const simBin: string;
export const distDir: string;
export const chromiumLaunchOptions: { executablePath: string; args: string[] };

export interface SimArgsOptions {
  port?: number;
  datacenter?: string;
  uiDir?: string;
  contentPath?: string;
  args?: string[];
}
export function simArgs(opts?: SimArgsOptions): string[];

export interface RunningSim {
  origin: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}
export function startSim(args: string[], opts?: { bin?: string; timeoutMs?: number }): Promise<RunningSim>;
export function stopSim(proc: ChildProcess): Promise<void>;
export function stopAll(): Promise<void>;
export function killAllSync(): void;
