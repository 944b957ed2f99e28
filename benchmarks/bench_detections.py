"""Benchmark: each detection of issue 4 (broken links with impact, drops, vacancies, 一岗双责,
coordination, closed loop) at 100k and 1M organizations.

Each size runs in its own process. For every step it reports wall and CPU seconds (CPU time is
the fairer number on a busy machine), then runs the step again under ``tracemalloc`` for the
memory its result holds and the most it had allocated at once (numpy arrays and Python objects). The impact ranking is also set against its brute-force alternative: one full cascade
per broken link, extrapolated from the time of one cascade.

    python benchmarks/bench_detections.py                      # 100k and 1M
    python benchmarks/bench_detections.py --sizes 100000       # one size
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))
from benchdata import dataset_for  # noqa: E402


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(orgs: int, top: int) -> dict:
    from graphmodel.analysis.cascade import cascade, default_sources, schedule
    from graphmodel.analysis.coordination import coordination, weakest_by_level
    from graphmodel.analysis.drops import drops
    from graphmodel.analysis.dual_duty import holder_shares, holder_status
    from graphmodel.analysis.impact import estimated_gain, impact_plan
    from graphmodel.analysis.links import broken_links, broken_mask
    from graphmodel.analysis.loop import closed_loop, loop_by_level
    from graphmodel.analysis.vacancies import vacancies
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.model.network import build_network

    network = build_network(read_dataset(dataset_for(orgs)))
    steps: list[dict] = []
    network_mib = _peak_rss_mib()

    def step(name: str, fn):  # type: ignore[no-untyped-def]
        """Time ``fn`` once plainly, then once more under tracemalloc for its memory."""
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        del result
        tracemalloc.start()
        result = fn()
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        steps.append({"step": name, "wall_s": wall, "cpu_s": cpu, "kept_mib": kept / 2**20, "peak_mib": peak / 2**20})
        return result

    sources = default_sources(network)
    plan = step("schedule (cascade preparation)", lambda: schedule(network))
    pressure = step("cascade", lambda: cascade(network, sources, plan=plan))
    prepared = step("impact plan (reverse-pass preparation)", lambda: impact_plan(network, plan))
    step("adjoint: ∂Σp/∂w of every link, one pass", lambda: estimated_gain(network, pressure, sources, prepared))
    ids = step("node ids (shared with responsibilities)", lambda: network.node_ids())
    repair = step(f"broken links + impact (exact top {top})", lambda: broken_links(
        network, pressure, sources=sources, top=top, prepared=prepared, node_ids=ids))
    step("drops", lambda: drops(network, pressure))
    step("vacancies", lambda: vacancies(network))
    step("一岗双责 statuses", lambda: holder_status(network, pressure=pressure))
    step("一岗双责 shares by org and level", lambda: (holder_shares(network), holder_shares(network, by="level")))
    table = step("coordination (四责协同)", lambda: coordination(network, pressure))
    step("weakest component by level", lambda: weakest_by_level(table))
    loop = step("closed loop", lambda: closed_loop(network))
    step("closed loop by level", lambda: loop_by_level(loop))

    n_broken = int(broken_mask(network).sum())
    one_cascade = next(s["cpu_s"] for s in steps if s["step"] == "cascade")
    return {
        "orgs": orgs,
        "nodes": network.n_nodes,
        "links": network.n_links,
        "broken": n_broken,
        "exact_evaluations": repair.attrs.get("exact_evaluations"),
        "certified": repair.attrs.get("certified"),
        "brute_force_cpu_s": one_cascade * n_broken,
        "network_rss_mib": network_mib,
        "peak_rss_mib": _peak_rss_mib(),
        "steps": steps,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--top", type=int, default=50, help="exact what-ifs at the head of the repair list")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.top)))
        return
    OUT.mkdir(exist_ok=True)
    for size in args.sizes:
        dataset_for(size)  # generate outside the measured process
        done = subprocess.run([sys.executable, __file__, "--one", str(size), "--top", str(args.top)],
                              check=True, capture_output=True, text=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"\n{r['orgs']:,} organizations: {r['nodes']:,} responsibilities, {r['links']:,} links, "
              f"{r['broken']:,} broken; peak RSS {r['network_rss_mib']:.0f} MiB after read + build, "
              f"{r['peak_rss_mib']:.0f} MiB at the end; "
              f"{r['exact_evaluations']} exact what-ifs (top certified: {r['certified']})\n")
        print("| step | wall s | CPU s | result MiB | peak allocated MiB |")
        print("|---|---|---|---|---|")
        for s in r["steps"]:
            print(f"| {s['step']} | {s['wall_s']:.2f} | {s['cpu_s']:.2f} | {s['kept_mib']:.0f} | {s['peak_mib']:.0f} |")
        detections = sum(s["cpu_s"] for s in r["steps"] if not s["step"].startswith(("schedule", "cascade", "node ids", "adjoint")))
        print(f"\nall detections: {detections:.1f} CPU s; brute-force impact (one cascade per broken link) "
              f"≈ {r['brute_force_cpu_s']:,.0f} CPU s")


if __name__ == "__main__":
    main()
