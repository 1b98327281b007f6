/** One line of the `npm run bench` table: throughput, latency percentiles (ms, or another unit the name says) and errors. */
export interface BenchRow {
  name: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}
