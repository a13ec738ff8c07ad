/**
 * What `enrich`'s offline lookups cost: opening the bundled databases (the ASN table is built
 * from CSV), then the lookups of a generated log's source addresses, in stream order with the
 * default cache, beside the whole headless pipeline over the same log in the same run (the target:
 * no more than 2 us added per event). Each distinct source is mapped to a random public IPv4 address
 * first, so that the figure does not depend on which addresses the generator draws (a reserved one
 * is labelled without a lookup): every lookup goes through the databases. A scan storm of distinct
 * addresses, every lookup a cache miss, is the worst case.
 */
import { CowrieLogGenerator } from "../src/datasets/synth/cowrie/cowrie-log-generator";
import { OfflineGeoLookup } from "../src/enrich/offline-geo-lookup";
import { specialUseOf } from "../src/enrich/special-use-address";
import { BATCH_LINES, CowrieScoringPipeline } from "../src/pipeline/cowrie-scoring-pipeline";
import { SeededRandom } from "../src/stats/seeded-random";
import type { Figure } from "./figure";

const BENCH = "enrich";
/** As the stages bench's log: a busy sensor. */
const LOG_RATE = 50;

export async function runEnrichBench(events: number, stormAddresses: number): Promise<Figure[]> {
  const lines = Array.from(new CowrieLogGenerator({ events, seed: "bench-enrich", rate: LOG_RATE }), ({ line }) => line);
  const random = new SeededRandom("bench-enrich-addresses");
  const publicAddress = new Map<string, string>();
  const sources = lines.map((line) => {
    const generated = /"src_ip":\s*"([^"]*)"/.exec(line)?.[1] ?? "";
    let address = publicAddress.get(generated);
    if (address === undefined) {
      address = randomPublicIpv4(random);
      publicAddress.set(generated, address);
    }
    return address;
  });

  const openStarted = process.hrtime.bigint();
  const geo = await OfflineGeoLookup.open();
  const openMs = Number(process.hrtime.bigint() - openStarted) / 1e6;
  // Warm-up: both the pipeline's code and the lookups' are compiled before either is timed.
  const warmUp = new CowrieScoringPipeline({ pcaError: false });
  lines.slice(0, Math.min(lines.length, 20_000)).forEach((line, i) => warmUp.process(line, i + 1));
  const warmGeo = await OfflineGeoLookup.open();
  for (let i = 0; i < 50_000; i++) warmGeo.lookup(randomPublicIpv4(random));

  const pipeline = new CowrieScoringPipeline({ pcaError: false });
  const pipelineUs = microsecondsPerEvent(lines.length, () => {
    for (let first = 0; first < lines.length; first += BATCH_LINES) {
      pipeline.processLines(lines.slice(first, first + BATCH_LINES).map((text, i) => ({ text, line: first + i + 1 })));
    }
  });
  let found = 0;
  const streamUs = microsecondsPerEvent(sources.length, () => {
    for (const ip of sources) if (geo.lookup(ip)?.country) found += 1;
  });
  const storm = Array.from({ length: stormAddresses }, () => randomPublicIpv4(random));
  const stormGeo = await OfflineGeoLookup.open({ cacheSize: 1024 });
  const stormUs = microsecondsPerEvent(storm.length, () => {
    for (const ip of storm) stormGeo.lookup(ip);
  });

  const baseline = { name: "headless pipeline", value: pipelineUs };
  const hitRate = geo.lookups === 0 ? 0 : geo.cacheHits / geo.lookups;
  return [
    { bench: BENCH, name: "open the bundled databases (country mmdb, ASN table from CSV)", value: openMs, unit: "ms" },
    { bench: BENCH, name: `headless pipeline, ${BATCH_LINES} lines at a time (baseline; ${lines.length.toLocaleString("en-US")} generated lines)`, value: pipelineUs, unit: "us/event" },
    { bench: BENCH, name: `lookup per event in stream order, ${publicAddress.size.toLocaleString("en-US")} sources, ${(100 * hitRate).toFixed(1)}% cache hits, ${(100 * found / sources.length).toFixed(1)}% with a country (target <= 2 us added)`,
      value: streamUs, unit: "us/event", baseline, ratio: streamUs / pipelineUs },
    { bench: BENCH, name: `scan storm: ${stormAddresses.toLocaleString("en-US")} distinct public addresses, every lookup a miss`, value: stormUs, unit: "us/event", baseline, ratio: stormUs / pipelineUs },
  ];
}

function randomPublicIpv4(random: SeededRandom): string {
  for (;;) {
    const ip = [random.integer(1, 223), random.integer(0, 255), random.integer(0, 255), random.integer(1, 254)].join(".");
    if (!specialUseOf(ip)) return ip;
  }
}

function microsecondsPerEvent(events: number, run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1000 / Math.max(1, events);
}
