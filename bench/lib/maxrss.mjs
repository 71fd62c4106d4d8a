// Preloaded (node --import) into measured children: writes the process's peak RSS (KiB) to
// $BENCH_MAXRSS_FILE at exit. 'exit' handlers run on process.exit(), which the CLI calls.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_MAXRSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
