// Loaded into the collector with `--import`: when it exits, it writes its own peak RSS and CPU time
// (getrusage of the whole process, every thread included) to the file named by BENCH_USAGE_REPORT.
// Measured from inside because the kernel's figures are exact, where sampling /proc from outside
// misses the last moments before exit. Plain JavaScript, so that no TypeScript loader is charged to
// the collector's memory.
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_USAGE_REPORT;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    // ru_maxrss is in KiB on Linux.
    writeFileSync(target, JSON.stringify({ maxRssKib: usage.maxRSS, userCpuMicros: usage.userCPUTime, systemCpuMicros: usage.systemCPUTime }));
  });
}
