/**
 * Which model fits this workload, read from what a comparison measured: what bounds the
 * tasks, which mode to use with how many lanes, and each claim with the figure behind it.
 * Pure functions over recorded figures; the modes' roles come from their registry policy
 * (the baseline, main-thread concurrency, pools), never from their names.
 */
import { getMode } from "../modes/mod.ts";
import type { ModeName } from "../run/events.ts";
import type { ModeMeasurement } from "../run/measure.ts";
import type { RunResult } from "../run/result.ts";
import { comparisonRows } from "./comparison.ts";
import { formatMs, formatRatio } from "./format.ts";
import { median, type Summary } from "./stats.ts";
import { KNEE_SHARE, type Sweep } from "./sweep.ts";

/** What bounds the work: `unknown` when nothing may be concluded (a failed run, no baseline). */
export type Bound = "cpu" | "io" | "mixed" | "startup" | "dispatch" | "unclear" | "unknown";

/** The advice: `mode` and `lanes` are null when no mode is clearly best. */
export interface Advice {
  readonly bound: Bound;
  /** What to use, in a sentence. */
  readonly summary: string;
  readonly mode: ModeName | null;
  readonly lanes: number | null;
  /** Each a sentence with the figure it rests on. */
  readonly reasons: readonly string[];
}

/** What the advice reads of one mode at one lane count. */
export interface ModeEvidence {
  readonly mode: ModeName;
  readonly lanes: number;
  readonly runs: number;
  /** Every run done with every task verified. */
  readonly finished: boolean;
  /** Every run's status, each once. */
  readonly statuses: string;
  readonly wall?: Summary;
  /** Against the baseline, by the one speedup rule. */
  readonly speedup?: { readonly median: number; readonly low: number; readonly high: number };
  /** Tasks under way at once, median. */
  readonly parallelism: number;
  /** Cores busy machine-wide, median. */
  readonly coresBusy?: number;
  /** Until every lane was ready, median, in ms. */
  readonly startupMs?: number;
  /** A lane's time between its tasks and in them, median over runs, in ms. */
  readonly lane?: { readonly betweenMs: number; readonly inMs: number };
}

/** Everything the advice reads. */
export interface Evidence {
  readonly cores: number;
  /** Every mode and lane count measured (a sweep gives several of one mode). */
  readonly modes: readonly ModeEvidence[];
  readonly sweep?: Sweep;
  /** Stopped before every run was made (Ctrl-C): what finished is a partial picture. */
  readonly cancelled?: boolean;
}

/**
 * With one run each there is no spread to compare: a mode must be this much faster to
 * count. Rounds on this shared 2-core machine moved a mode's time by up to ±15 %.
 */
const SINGLE_RUN_MARGIN = 1.25;
/** Async this much faster than the baseline: its tasks wait, and the waits overlap. */
const WAIT_GAIN = 1.5;
/** Below this, a mode gains nothing over the baseline worth a claim. */
const NO_GAIN = 1.15;
/** Cores busy per task under way at or above this: the tasks compute all the time. */
const COMPUTE_BUSY = 0.7;
/** Cores busy per task under way below this: the tasks mostly wait. */
const WAIT_BUSY = 0.5;
/**
 * Other programs busy on at least this share of the cores the baseline left free: a pool had
 * little to gain from, whatever the work.
 */
const CROWDED_SHARE = 0.5;
/** Pool start-up at or above this share of its wall time dominates it. */
const STARTUP_SHARE = 0.25;
/** A lane's time between tasks at or above this share of its time in them rivals the work. */
const DISPATCH_SHARE = 0.5;

/**
 * How to say "batch tasks": the pool hands out one task a message today. When a flag for
 * batches exists, its name goes here and every sentence that advises batching names it.
 */
const BATCH_HINT = "hand each lane several tasks a message (--chunk N; auto does for tiny tasks)";

/** A lane's time between tasks and in them, per lane used, for one run. */
export function laneTimes(run: RunResult): { betweenMs: number; inMs: number } | undefined {
  const byLane = new Map<number, { start: number; end: number }[]>();
  for (const t of run.tasks) {
    if (t.lane === undefined || t.startMs === undefined || t.endMs === undefined) continue;
    byLane.set(t.lane, [...(byLane.get(t.lane) ?? []), { start: t.startMs, end: t.endMs }]);
  }
  if (byLane.size === 0) return undefined;
  let betweenMs = 0;
  let inMs = 0;
  for (const spans of byLane.values()) {
    spans.sort((a, b) => a.start - b.start);
    spans.forEach((s, i) => {
      inMs += s.end - s.start;
      // Overlapping tasks on one lane (several a worker) leave no gap between them.
      if (i > 0) betweenMs += Math.max(0, s.start - spans[i - 1].end);
    });
  }
  return { betweenMs: betweenMs / byLane.size, inMs: inMs / byLane.size };
}

/** The evidence of a comparison: its rows (the one model) and what its runs recorded. */
export function evidenceOf(
  measured: readonly ModeMeasurement[],
  cores: number,
  more: { readonly sweep?: Sweep; readonly cancelled?: boolean } = {},
): Evidence {
  const rows = comparisonRows(measured);
  const modes = measured.map((m, i): ModeEvidence => {
    const row = rows[i];
    const startups = m.runs.flatMap((r) => (r.startupMs === undefined ? [] : [r.startupMs]));
    const lanes = m.runs.flatMap((r) => laneTimes(r) ?? []);
    return {
      mode: m.mode,
      lanes: m.lanes,
      runs: m.runs.length,
      finished: row.finished && row.verifiedCount === row.taskCount,
      statuses: row.statuses,
      ...(row.wall ? { wall: row.wall } : {}),
      ...(row.speedup ? { speedup: row.speedup } : {}),
      parallelism: row.parallelism,
      ...(row.coresBusy === undefined ? {} : { coresBusy: row.coresBusy }),
      ...(startups.length > 0 ? { startupMs: median(startups) } : {}),
      ...(lanes.length > 0
        ? {
          lane: {
            betweenMs: median(lanes.map((l) => l.betweenMs)),
            inMs: median(lanes.map((l) => l.inMs)),
          },
        }
        : {}),
    };
  });
  return { cores, modes, ...more };
}

const x = (m: ModeEvidence) => {
  const s = m.speedup!;
  return m.runs > 1
    ? `${formatRatio(s.median)} (${s.low.toFixed(2)}–${s.high.toFixed(2)})`
    : formatRatio(s.median);
};
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const f2 = (v: number) => v.toFixed(2);
const pct = (v: number) => `${Math.round(v * 100)} %`;

/** The fastest of `list` by median wall time. */
function fastest(list: readonly ModeEvidence[]): ModeEvidence | undefined {
  const timed = list.filter((m) => m.wall && m.speedup);
  return timed.length === 0
    ? undefined
    : timed.reduce((a, b) => (b.wall!.medianMs < a.wall!.medianMs ? b : a));
}

/**
 * True when `a` is faster than `b` beyond noise: their ranges do not overlap (two runs or
 * more each), or with a single run, by {@link SINGLE_RUN_MARGIN}.
 */
export function clearlyFaster(a: ModeEvidence, b: ModeEvidence): boolean {
  if (!a.wall || !b.wall) return false;
  if (a.runs > 1 && b.runs > 1) {
    // Apart, and by enough to matter: two runs that happen not to overlap prove little.
    return a.wall.maxMs < b.wall.minMs && a.wall.medianMs * NO_GAIN <= b.wall.medianMs;
  }
  return a.wall.medianMs * SINGLE_RUN_MARGIN <= b.wall.medianMs;
}

/** Why `a` is not clearly faster than `b`, with both figures. */
/** Why `winner` is named: its times against the modes it beat beyond noise, with figures. */
function separated(winner: ModeEvidence, beaten: readonly ModeEvidence[]): string {
  const took = (m: ModeEvidence) =>
    m.runs > 1
      ? `${formatMs(m.wall!.minMs)} … ${formatMs(m.wall!.maxMs)}`
      : formatMs(m.wall!.medianMs);
  return `${winner.mode} took ${took(winner)} against ${
    beaten.map((m) => `${took(m)} for ${m.mode}`).join(", ")
  }: faster beyond noise`;
}

function notSeparated(a: ModeEvidence, b: ModeEvidence): string {
  const name = (m: ModeEvidence) => `${m.mode} (${plural(m.lanes, "lane")})`;
  if (a.runs > 1 && b.runs > 1) {
    const range = (m: ModeEvidence) => `${formatMs(m.wall!.minMs)} … ${formatMs(m.wall!.maxMs)}`;
    const [fast, slow] = a.wall!.medianMs <= b.wall!.medianMs ? [a, b] : [b, a];
    const apart = fast.wall!.maxMs < slow.wall!.minMs;
    return `no clear winner: ${name(a)} took ${range(a)} and ${name(b)} ${range(b)}: ${
      apart
        ? `apart by ${formatRatio(slow.wall!.medianMs / fast.wall!.medianMs)} in medians, ` +
          `less than the ${pct(NO_GAIN - 1)} a claim needs`
        : "the ranges overlap"
    }`;
  }
  return `no clear winner: ${name(a)} took ${formatMs(a.wall!.medianMs)} and ${name(b)} ` +
    `${formatMs(b.wall!.medianMs)}, within the ${
      pct(SINGLE_RUN_MARGIN - 1)
    } one run cannot tell from noise (--runs 3 or more measure the spread)`;
}

/** The knee of `mode`'s sweep curve, if it was swept. */
function knee(e: Evidence, mode: ModeName): number | undefined {
  return e.sweep?.curves.find((c) => c.mode === mode)?.kneeLanes;
}

/** The sentence on the lanes chosen from a sweep's knee, with its figure. */
function kneeReason(e: Evidence, mode: ModeName, unit: string): string | undefined {
  const curve = e.sweep?.curves.find((c) => c.mode === mode);
  if (curve?.kneeLanes === undefined) return undefined;
  const at = curve.points.find((p) => p.lanes === curve.kneeLanes)!;
  const best = Math.max(...curve.points.flatMap((p) => (p.speedup ? [p.speedup.median] : [])));
  const top = Math.max(...curve.points.map((p) => p.lanes));
  return `the sweep's knee: ${mode} reached ${formatRatio(at.speedup!.median)} at ${
    plural(curve.kneeLanes, unit)
  }, within ${pct(1 - KNEE_SHARE)} of its best ${formatRatio(best)} up to ${top}: more add little`;
}

function refuse(reasons: string[]): Advice {
  return { bound: "unknown", summary: "no advice", mode: null, lanes: null, reasons };
}

/** The advice from recorded figures; never from a failed or cancelled run. */
export function advise(e: Evidence): Advice {
  if (e.cancelled) {
    return refuse([
      "the comparison was cancelled: the runs that finished are not every mode's, and a " +
      "cancelled run's time says nothing about the work",
    ]);
  }
  const unfinished = e.modes.filter((m) => !m.finished);
  if (unfinished.length > 0) {
    return refuse(
      unfinished.map((m) =>
        `${m.mode} (${plural(m.lanes, "lane")}) ended ${m.statuses}: advice is drawn only ` +
        `from runs that finished with every task verified`
      ),
    );
  }
  const base = e.modes.find((m) => getMode(m.mode).baseline);
  if (!base?.wall) return refuse(["no run of the baseline mode to measure the others against"]);
  const others = e.modes.filter((m) => m !== base);
  if (others.length === 0) return refuse([`only ${base.mode} ran: nothing to compare it with`]);

  // k lanes cannot make work more than k times faster: a larger speedup (beyond the noise
  // a single run allows) means the baseline's run was slowed, and every figure against it
  // is suspect.
  const impossible = others.find((m) =>
    m.speedup && m.speedup.median > m.lanes * SINGLE_RUN_MARGIN
  );
  if (impossible) {
    return {
      bound: "unclear",
      summary: "no clear winner",
      mode: null,
      lanes: null,
      reasons: [
        `${impossible.mode} ran ${x(impossible)} ${base.mode}'s speed with ${
          plural(impossible.lanes, "lane")
        }, more than ${impossible.lanes} can give: ${base.mode}'s run was slowed (a cold ` +
        `start, or another program), so no figure against it can be trusted; measure again ` +
        `(compare --runs 3 --warmup 1)`,
      ],
    };
  }

  // Roles from the registry: main-thread concurrency (async) and pools (real parallelism).
  const conc = fastest(others.filter((m) => getMode(m.mode).laneKind === "main"));
  const pools = others.filter((m) => getMode(m.mode).parallel);
  const pool = fastest(pools);
  const concGain = conc?.speedup?.median;
  const busy = base.coresBusy === undefined
    ? undefined
    : base.coresBusy / Math.max(base.parallelism, 0.01);

  // Cores busy is machine-wide: another program's load can only add to it. Where it
  // disagrees with the timings, it is reported and left out of the judgement.
  const says = busy === undefined
    ? undefined
    : busy >= COMPUTE_BUSY
    ? "compute"
    : busy < WAIT_BUSY
    ? "wait"
    : undefined;
  const busyReason = (expect?: "compute" | "wait") =>
    busy === undefined ? [] : [
      `${base.mode} kept ${f2(base.coresBusy!)} cores busy with ${
        f2(base.parallelism)
      } task under way (machine-wide: other programs count too)${
        says === undefined
          ? ""
          : expect !== undefined && says !== expect
          ? ": the timings say otherwise, so other programs' load is the likelier cause"
          : says === "compute"
          ? ": its tasks compute all the time"
          : ": its tasks mostly wait"
      }`,
    ];
  // The baseline keeps about `parallelism` cores busy itself; the rest of the figure is others'.
  const spare = e.cores - base.parallelism;
  const othersBusy = base.coresBusy === undefined ? 0 : base.coresBusy - base.parallelism;
  const crowded = spare > 0 && othersBusy >= CROWDED_SHARE * spare;
  const crowdedReason = crowded
    ? [
      `while ${base.mode} ran, other programs kept ${f2(othersBusy)} of the ${
        f2(spare)
      } cores it left free busy: a pool had little to gain from them; measure again when ` +
      `the machine is quieter`,
    ]
    : [];
  const concReason = (why?: string) =>
    conc
      ? [
        `${conc.mode} ran ${x(conc)} ${base.mode}'s speed with ${
          plural(conc.lanes, "task")
        } in flight on one thread${why ? `: ${why}` : ""}`,
      ]
      : [];
  const poolReason = (m: ModeEvidence, why: string) =>
    `${m.mode} ran ${x(m)} with ${plural(m.lanes, "lane")} on ${e.cores} cores: ${why}`;

  // Waiting dominates: async overlaps the waits on one thread.
  if (conc && concGain! >= WAIT_GAIN) {
    if (pool && clearlyFaster(pool, conc)) {
      const lanes = knee(e, pool.mode) ?? pool.lanes;
      return {
        bound: "mixed",
        summary: `mixed: the tasks wait and compute, and computing dominates; use ${pool.mode} ` +
          `with ${plural(lanes, "lane")}`,
        mode: pool.mode,
        lanes,
        reasons: [
          ...busyReason(),
          ...concReason("the waits overlap"),
          poolReason(pool, `faster still: the computing spreads over cores`),
          ...(kneeReason(e, pool.mode, "lane") ?? []),
        ],
      };
    }
  }
  if (conc && concGain! >= WAIT_GAIN && clearlyFaster(conc, base)) {
    const lanes = knee(e, conc.mode) ?? conc.lanes;
    return {
      bound: "io",
      summary: `I/O-bound: use ${conc.mode} with ${plural(lanes, "task")} in flight`,
      mode: conc.mode,
      lanes,
      reasons: [
        ...busyReason("wait"),
        ...concReason("the waits overlap"),
        ...(pool
          ? [poolReason(pool, `each lane waits too, and lanes cost a thread or a process each`)]
          : []),
        kneeReason(e, conc.mode, "task") ??
          `${plural(conc.lanes, "task")} in flight: more help only until the server's or the ` +
            `network's limit, and fewer may do as well; a lanes sweep (--lanes-sweep) finds where`,
      ],
    };
  }

  // Computing dominates: taking turns on one thread gains nothing, a pool scales with cores.
  const computes = (concGain === undefined || concGain < NO_GAIN) &&
    (busy === undefined || busy >= WAIT_BUSY);
  const concFlat = concReason("taking turns on one thread gains nothing");
  if (pool && clearlyFaster(pool, base) && (!conc || clearlyFaster(pool, conc))) {
    // Pools as fast as the fastest within noise: the one that starts its lanes sooner wins.
    const close = pools.filter((m) => m.speedup && !clearlyFaster(pool, m));
    const starts = (m: ModeEvidence) => m.startupMs ?? Infinity;
    const chosen = close.reduce((a, b) => (starts(b) < starts(a) ? b : a), pool);
    const lanes = knee(e, chosen.mode) ?? e.cores;
    const twin = fastest(close.filter((m) => m.mode !== chosen.mode));
    const isolation = twin && getMode(twin.mode).laneKind === "process" &&
        getMode(chosen.mode).laneKind !== "process"
      ? `; ${twin.mode} when isolation matters (a crash stays in its process)`
      : twin
      ? `; ${twin.mode} is as fast within noise`
      : "";
    const mixed = !computes;
    return {
      bound: mixed ? "mixed" : "cpu",
      summary: `${mixed ? "mixed, computing dominates" : "CPU-bound"}: use a pool, ` +
        `${chosen.mode} with ${plural(lanes, "lane")}${
          lanes === e.cores ? " (= cores)" : ""
        }${isolation}`,
      mode: chosen.mode,
      lanes,
      reasons: [
        ...busyReason(mixed ? undefined : "compute"),
        ...(concGain !== undefined && concGain < NO_GAIN
          ? concFlat
          : concReason("some waits overlap")),
        poolReason(chosen, "the work spreads over cores"),
        ...(twin
          ? [
            poolReason(twin, "the same within noise") +
            (twin.startupMs !== undefined && chosen.startupMs !== undefined
              ? `; its lanes were ready after ${formatMs(twin.startupMs)}, against ` +
                `${formatMs(chosen.startupMs)} for ${chosen.mode}`
              : ""),
          ]
          : []),
        kneeReason(e, pool.mode, "lane") ??
          `lanes = cores (${e.cores}): more lanes than cores only take turns on them`,
      ],
    };
  }

  // No pool pays: what it costs besides the work, start-up or handing out tasks. When other
  // programs held the free cores, only a pool clearly slower than one thread shows its costs.
  const oneThread = fastest([base, ...(conc ? [conc] : [])])!;
  if (pool && (!crowded || clearlyFaster(oneThread, pool))) {
    const share = (m: ModeEvidence) => (m.startupMs ?? 0) / Math.max(m.wall!.medianMs, 1e-9);
    const ratio = (m: ModeEvidence) => m.lane ? m.lane.betweenMs / Math.max(m.lane.inMs, 1e-9) : 0;
    const started = pools.filter((m) => m.wall).reduce((a, b) => (share(b) > share(a) ? b : a));
    const handed = pools.filter((m) => m.wall).reduce((a, b) => (ratio(b) > ratio(a) ? b : a));
    const dispatch = ratio(handed) >= DISPATCH_SHARE &&
      handed.lane!.betweenMs >= (handed.startupMs ?? 0);
    const startup = share(started) >= STARTUP_SHARE;
    if (dispatch || startup) {
      const main = oneThread;
      const winner = clearlyFaster(main, pool) ? main : undefined;
      const poolRan = `${pool.mode} ran ${x(pool)} ${base.mode}'s speed`;
      const startupReason = `${started.mode} spent ${formatMs(started.startupMs ?? 0)} of its ${
        formatMs(started.wall!.medianMs)
      } starting its lanes (${pct(share(started))})`;
      const dispatchReason = `${handed.mode}: a lane spent ${
        formatMs(handed.lane?.betweenMs ?? 0)
      } between tasks against ${formatMs(handed.lane?.inMs ?? 0)} in them (${pct(ratio(handed))})`;
      const mainNames = [base.mode, ...(conc ? [conc.mode] : [])].join(" or ");
      const use = dispatch
        ? `batch tasks: ${BATCH_HINT}${winner ? `; until then ${winner.mode}` : ""}`
        : `use ${mainNames}, or a pool that lives longer than one task list`;
      return {
        bound: dispatch ? "dispatch" : "startup",
        summary: `${dispatch ? "dispatch-dominated" : "start-up-dominated"}: ${use}${
          winner ? "" : " (no clear winner)"
        }`,
        mode: winner?.mode ?? null,
        lanes: winner?.lanes ?? null,
        reasons: [
          ...(dispatch ? [dispatchReason] : []),
          ...(startup ? [startupReason] : []),
          `${poolRan}: ${
            (pool.speedup?.median ?? 0) < 1
              ? "the pool's own costs outweigh what its cores add"
              : `short of what its ${Math.min(pool.lanes, e.cores)} cores could add`
          }`,
          ...(winner ? [] : [notSeparated(main, pool)]),
        ],
      };
    }
  }

  // No rule above fits: what bounds the work if the figures show it, and who wins if anyone.
  const bound: Bound = busy === undefined
    ? "unclear"
    : busy >= COMPUTE_BUSY
    ? "cpu"
    : busy < WAIT_BUSY
    ? "io"
    : "unclear";
  const figures = [
    ...busyReason(),
    ...concReason(),
    ...(pool ? [`${pool.mode} ran ${x(pool)} with ${plural(pool.lanes, "lane")}`] : []),
  ];
  const best = fastest(others)!;
  const winner = clearlyFaster(best, base)
    ? best
    : others.every((m) => clearlyFaster(base, m))
    ? base
    : undefined;
  if (winner) {
    const lanes = knee(e, winner.mode) ?? winner.lanes;
    return {
      bound,
      summary: `${BOUND_WORDS[bound] ? `${BOUND_WORDS[bound]}: ` : ""}use ${winner.mode} with ${
        plural(lanes, "lane")
      }`,
      mode: winner.mode,
      lanes,
      reasons: [
        ...figures,
        separated(winner, winner === base ? others : [base]),
        ...(kneeReason(e, winner.mode, "lane") ?? []),
      ],
    };
  }
  const rival = fastest(others.filter((m) => !clearlyFaster(base, m)))!;
  return {
    ...unclear(bound),
    reasons: [...figures, ...crowdedReason, notSeparated(rival, base)],
  };
}

const BOUND_WORDS: Partial<Record<Bound, string>> = { cpu: "CPU-bound", io: "I/O-bound" };

/** No mode is clearly best; `bound` says what the figures still show. */
function unclear(bound: Bound): Advice {
  return {
    bound,
    summary: `${BOUND_WORDS[bound] ? `${BOUND_WORDS[bound]}, but ` : ""}no clear winner`,
    mode: null,
    lanes: null,
    reasons: [],
  };
}

/** The advice as the terminal block (also the Markdown export's, as a list). */
export function adviceLines(advice: Advice): string[] {
  return [`advice: ${advice.summary}`, ...advice.reasons.map((r) => `  - ${r}`)];
}

/** The advice as Markdown. */
export function adviceMarkdown(advice: Advice): string {
  return [`## Advice: ${advice.summary}`, "", ...advice.reasons.map((r) => `- ${r}`)].join("\n");
}
