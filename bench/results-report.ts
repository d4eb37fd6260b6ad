/**
 * Turns the measurements into the Markdown the run prints and writes into bench/README.md: one table of every
 * measurement, one of the targets with their ratios, and the machine it ran on. README sections are replaced
 * between marker comments, so the prose around them stays as written.
 */
import { cpus, release } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import type { LoadOptions, LoadResult } from './load.js';
import type { ProfileSummary } from './cpu-profile-summary.js';

export interface ScenarioResult {
  title: string;
  stored: number;
  bodyBytes: number;
  server: LoadResult;
  raw?: LoadResult;
}

export interface Target {
  what: string;
  /** The measured ratio. */
  ratio: number;
  limit: number;
  /** `min`: the ratio must be at least `limit`; `max`: at most. */
  kind: 'min' | 'max';
}

export const targetMet = (t: Target): boolean => (t.kind === 'min' ? t.ratio >= t.limit : t.ratio <= t.limit);

const rps = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(2);
const ratio = (n: number) => `${n.toFixed(2)}×`;

export function machineLine(options: LoadOptions, date: Date): string {
  const cpu = cpus();
  return (
    `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}) · ` +
    `Linux ${release()} · Node ${process.version} · autocannon ${options.connections} connections, ` +
    `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per measurement`
  );
}

export function measurementsTable(results: readonly ScenarioResult[]): string {
  const lines = [
    '| Request | Stored submodels | Body bytes | Server req/s | Server mean ms | Server p99 ms | Raw req/s | Raw mean ms | Raw p99 ms | Server ÷ raw req/s |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const raw = r.raw;
    lines.push(
      `| ${r.title} | ${r.stored.toLocaleString('en-US')} | ${r.bodyBytes.toLocaleString('en-US')} | ${rps(r.server.requestsPerSecond)} | ` +
        `${ms(r.server.meanMs)} | ${ms(r.server.p99Ms)} | ` +
        (raw
          ? `${rps(raw.requestsPerSecond)} | ${ms(raw.meanMs)} | ${ms(raw.p99Ms)} | ${ratio(r.server.requestsPerSecond / raw.requestsPerSecond)} |`
          : '– | – | – | – |'),
    );
  }
  return lines.join('\n');
}

export function targetsTable(targets: readonly Target[]): string {
  const lines = ['| Target | Measured | Result |', '|---|--:|---|'];
  for (const t of targets) {
    const bound = `${t.kind === 'min' ? '≥' : '≤'} ${t.limit}×`;
    let verdict = 'met';
    if (!targetMet(t)) {
      // How far off, as the factor the measured ratio would have to improve by.
      const factor = t.kind === 'min' ? t.limit / t.ratio : t.ratio / t.limit;
      verdict = `**missed**: ${factor.toFixed(2)}× ${t.kind === 'min' ? 'short of' : 'over'} the target`;
    }
    lines.push(`| ${t.what} (${bound}) | ${ratio(t.ratio)} | ${verdict} |`);
  }
  return lines.join('\n');
}

export function profileMarkdown(title: string, summary: ProfileSummary): string {
  const scope = summary.windowed ? 'load phase only' : 'whole process life (the load window could not be matched)';
  const lines = [
    `**${title}**: ${summary.busyMs.toFixed(0)} ms busy, ${summary.idleMs.toFixed(0)} ms idle (${scope}).`,
    '',
    '| Self time by origin | ms | share of busy |',
    '|---|--:|--:|',
    ...summary.origins.slice(0, 10).map((o) => `| ${o.name} | ${o.ms.toFixed(0)} | ${(o.share * 100).toFixed(1)} % |`),
    '',
    '| Top functions by self time | ms | share of busy |',
    '|---|--:|--:|',
    ...summary.functions.map((f) => `| \`${f.name.replace(/\|/g, '\\|')}\` | ${f.ms.toFixed(0)} | ${(f.share * 100).toFixed(1)} % |`),
  ];
  return lines.join('\n');
}

/** Replaces the text between `<!-- name:begin -->` and `<!-- name:end -->` (appends the section if missing). */
export function replaceReadmeSection(file: string, name: string, body: string): void {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const section = `${begin}\n${body.trim()}\n${end}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  text = from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, text);
}
