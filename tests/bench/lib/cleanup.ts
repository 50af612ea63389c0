/**
 * Everything the benchmark starts or creates (server processes, temp dirs, PostgreSQL schemas) is
 * registered here and undone in reverse order: after each part, on failure, and on Ctrl-C. Process
 * groups and temp dirs are also removed synchronously if the process exits some other way.
 */
type Task = {
  label: string;
  /** The full clean-up (may wait, e.g. for a graceful stop or a DROP SCHEMA). */
  run: () => Promise<void>;
  /** A last resort that works inside process.on("exit"): no promises there. */
  runSync?: () => void;
};

const tasks: Task[] = [];

/** Register a clean-up; call the returned function to run it now (it then runs only once). */
export function onCleanup(label: string, run: () => Promise<void>, runSync?: () => void): () => Promise<void> {
  const task: Task = { label, run, runSync };
  tasks.push(task);
  return async () => {
    const i = tasks.indexOf(task);
    if (i < 0) return;
    tasks.splice(i, 1);
    await task.run();
  };
}

let cleaning: Promise<void> | undefined;

/** Run every registered clean-up, newest first; failures are reported, not thrown. */
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    while (tasks.length > 0) {
      const task = tasks.pop()!;
      try {
        await task.run();
      } catch (error) {
        console.error(`clean-up "${task.label}" failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })().finally(() => {
    cleaning = undefined;
  });
  return cleaning;
}

process.on("exit", () => {
  for (const task of tasks.reverse()) {
    try {
      task.runSync?.();
    } catch {
      /* best effort */
    }
  }
});

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (interrupted) return; // a second Ctrl-C waits for the first clean-up
    interrupted = true;
    console.error(`\n${signal}: stopping and cleaning up…`);
    void cleanupAll().finally(() => process.exit(130));
  });
}
