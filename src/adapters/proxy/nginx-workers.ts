// nginx's worker generations, read from the host's process list. A reload starts new workers and
// tells the old ones to stop accepting; each old one ("worker process is shutting down") still
// finishes what it holds with the OLD configuration — a request in flight, or one that arrives on
// a connection it accepted before the reload — so until they have exited nginx may still send to
// the previous upstream. Pure: the driver runs `ps` and a probe, these read the answers.

/** The argv that lists the host's processes: one `PID PPID ARGS` line each. */
export const PS_ARGV = ["ps", "-e", "-o", "pid=,ppid=,args="];

export interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

export function parsePs(text: string): Proc[] {
  return text.split("\n").flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]!.trim() }] : [];
  });
}

const isWorker = (p: Proc) => p.args.startsWith("nginx: worker process");

/**
 * The master of the nginx whose worker answered a probe (its $pid), or undefined when the host's
 * process list does not show that worker under an nginx master: nginx in a container (another PID
 * namespace) or a `ps` that lists nothing.
 */
export function masterOf(procs: Proc[], workerPid: number): number | undefined {
  const worker = procs.find((p) => p.pid === workerPid && isWorker(p));
  const master = worker && procs.find((p) => p.pid === worker.ppid);
  return master?.args.startsWith("nginx: master process") ? master.pid : undefined;
}

/** That master's workers, of every generation still running (those shutting down included). */
export function workersOf(procs: Proc[], master: number): number[] {
  return procs.filter((p) => p.ppid === master && isWorker(p)).map((p) => p.pid);
}

/**
 * Of the workers listed before the reload (every nginx's, since the master is known only after),
 * those of this master that still run now: the previous generation, not yet exited.
 */
export function stillRunning(before: Proc[], now: Proc[], master: number): number[] {
  const alive = new Set(workersOf(now, master));
  return workersOf(before, master).filter((pid) => alive.has(pid));
}
