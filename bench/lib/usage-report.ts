// Loaded into the collector with `--import`: when it exits, it writes its own peak RSS and CPU time
// (getrusage of the whole process, every thread included) to the file named by BENCH_USAGE_REPORT.
// Measured from inside because the kernel's figures are exact, where sampling /proc from outside
// could miss the last moments before exit.
import { writeFileSync } from 'node:fs';

export interface UsageReport {
  /** ru_maxrss: peak resident set size, KiB. */
  maxRssKib: number;
  userCpuMicros: number;
  systemCpuMicros: number;
}

const target = process.env.BENCH_USAGE_REPORT;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const report: UsageReport = { maxRssKib: usage.maxRSS, userCpuMicros: usage.userCPUTime, systemCpuMicros: usage.systemCPUTime };
    writeFileSync(target, JSON.stringify(report));
  });
}
