// A scrape of /metrics, parsed by a Prometheus text-format parser, with the look-ups the tests make.
import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { request } from 'undici';

export interface Scrape {
  /** The family's type as the exposition declares it: COUNTER, GAUGE, HISTOGRAM… */
  type(name: string): string | undefined;
  /** Samples of the family whose labels include `labels`. */
  samples(name: string, labels?: Record<string, string>): { labels: Record<string, string>; value: number }[];
  /** The sum of the matching samples' values (0 when none match). */
  sum(name: string, labels?: Record<string, string>): number;
  /**
   * A histogram's observation count, over all its series: the parser keeps only the `le` label of a
   * histogram whose other labels follow `le` (as prom-client writes them), so the `+Inf` buckets are summed.
   */
  histogramCount(name: string): number;
}

export async function scrape(baseUrl: string): Promise<Scrape> {
  const response = await request(`${baseUrl}/metrics`);
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await response.body.text());
  const family = (name: string) => families.find((f) => f.name === name);
  const matching = (name: string, labels: Record<string, string>) =>
    (family(name)?.metrics ?? []).filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value));
  return {
    type: (name) => family(name)?.type,
    samples: (name, labels = {}) => matching(name, labels).map((sample) => ({ labels: sample.labels ?? {}, value: Number(sample.value) })),
    sum: (name, labels = {}) => matching(name, labels).reduce((total, sample) => total + Number(sample.value), 0),
    histogramCount: (name) => (family(name)?.metrics ?? []).reduce((total, sample) => total + Number(sample.buckets?.['+Inf'] ?? 0), 0),
  };
}
