/**
 * The benchmark's child processes (seeder, AAS server, raw server): started, waited for, and always stopped,
 * also when the run fails or is interrupted. Only processes started here are ever signalled, by their pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  name: string;
  process: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** stdout and stderr so far, for error messages. */
  output(): string;
}

const MAX_KEPT_OUTPUT = 64 * 1024;

export class ChildProcesses {
  private readonly running = new Set<Child>();

  /** `cwd`: where children run (`--import tsx` resolves from there). */
  constructor(private readonly cwd: string) {}

  /** Starts `node <args>` with exactly the environment `env`. */
  start(name: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
    const proc = spawn(process.execPath, args, {
      cwd: this.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-MAX_KEPT_OUTPUT);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const exited = new Promise<number | string>((resolve) => {
      proc.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
      proc.once('error', (e) => {
        output += `\n${e.message}`;
        resolve('spawn-error');
      });
    });
    const child: Child = { name, process: proc, exited, output: () => output };
    this.running.add(child);
    void exited.then(() => this.running.delete(child));
    return child;
  }

  /** Runs a child to completion; rejects with its output unless it exits 0. */
  async run(name: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
    const child = this.start(name, args, env);
    const code = await child.exited;
    if (code !== 0) throw new Error(`${name} exited with ${code}:\n${child.output()}`);
    return child.output();
  }

  /** Waits until the child's stdout has a line matching `pattern`; rejects if it exits or times out first. */
  waitForLine(child: Child, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => finish(new Error(`${child.name}: no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        for (const line of buffered.split('\n')) {
          const m = line.match(pattern);
          if (m) return finish(undefined, m);
        }
      };
      const onExit = () => finish(new Error(`${child.name} exited before it was ready:\n${child.output()}`));
      const finish = (error?: Error, match?: RegExpMatchArray) => {
        clearTimeout(timer);
        child.process.stdout?.off('data', onData);
        child.process.off('exit', onExit);
        if (error) reject(error);
        else resolve(match as RegExpMatchArray);
      };
      child.process.stdout?.on('data', onData);
      child.process.once('exit', onExit);
    });
  }

  /** SIGTERM, then SIGKILL if the child has not ended after `graceMs`. */
  async stop(child: Child, graceMs = 5000): Promise<number | string> {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGTERM');
      const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
      try {
        return await child.exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return child.exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((child) => this.stop(child)));
  }

  /** Last resort from a synchronous `exit` handler: no waiting possible, so SIGKILL what is left. */
  killAllNow(): void {
    for (const child of this.running) {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    }
  }
}
