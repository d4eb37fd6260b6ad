/**
 * Reads a V8 `.cpuprofile` (written by `node --cpu-prof`) and sums self time per function and per code origin
 * (the project's own code, each npm package, Node internals, GC), optionally only for samples inside time
 * windows (the timed load, without start-up, capture requests and warm-up).
 *
 * Windows are given in `process.hrtime` nanoseconds of the benchmark process. V8 stamps profiles with the
 * same monotonic clock in microseconds on Linux; when no window overlaps the profile (another platform's
 * clock), the whole profile is summarised and `windowed` says so.
 */
import { readFileSync } from 'node:fs';
import type { TimeWindow } from './load.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the busy time (all samples except `(idle)`). */
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  windowed: boolean;
  functions: SelfTime[];
  origins: SelfTime[];
}

/** Where a function's code comes from: `express`, `node:internal`, `aas-server (dist/http/app.js)`, … */
function origin(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url.startsWith('node:internal') ? 'node:internal' : url;
  const own = /\/dist\/(.+)$/.exec(url);
  if (own) return `aas-server (dist/${own[1]})`;
  return url.replace(/^file:\/\//, '');
}

function frameName(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/dist\//, 'dist/');
  return `${name} ${file}:${frame.lineNumber + 1}`;
}

function ranked(totals: Map<string, number>, busyMs: number, top: number): SelfTime[] {
  return [...totals.entries()]
    .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

export function summariseCpuProfile(file: string, windows: readonly TimeWindow[] = [], top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const spans = windows
    .map((w) => ({ from: Number(w.fromNs / 1000n), to: Number(w.toNs / 1000n) }))
    .filter((w) => w.from < profile.endTime && w.to > profile.startTime);
  const windowed = spans.length > 0;
  const inWindow = (t: number) => !windowed || spans.some((w) => t >= w.from && t <= w.to);
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let busyMs = 0;
  let idleMs = 0;
  let t = profile.startTime;
  profile.samples.forEach((nodeId, i) => {
    t += profile.timeDeltas[i];
    // A sample's delta is the time since the previous one, charged to this sample's function.
    if (!inWindow(t)) return;
    const node = nodes.get(nodeId);
    if (!node) return;
    const ms = profile.timeDeltas[i] / 1000;
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    const fn = frameName(node.callFrame);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    const from = origin(node.callFrame);
    byOrigin.set(from, (byOrigin.get(from) ?? 0) + ms);
  });
  return { busyMs, idleMs, windowed, functions: ranked(byFunction, busyMs, top), origins: ranked(byOrigin, busyMs, top) };
}
