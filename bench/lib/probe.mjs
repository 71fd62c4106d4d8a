// Preloaded (node --import) into measured children: at exit, writes the process's peak RSS (KiB)
// and CPU time (user + system, µs) to $BENCH_PROBE_FILE. 'exit' handlers run on process.exit(),
// which the CLI calls. CPU time is far less noisy than wall time on a shared VM.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}`);
  });
}
