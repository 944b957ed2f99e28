"""Benchmark: read, build, cascade and the whole analyze at 10k / 100k / 1M organizations.

Each size runs in its own process so that its peak memory (max RSS) is its own. The whole analyze
is what ``graphmodel analyze`` does: read, build, let the evidence rows go, every analysis, write
findings.json and the CSVs. Datasets are
generated once into benchmarks/out/ and reused. The plain networkx cascade (a Python loop over
nodes in topological order) runs beside the vectorized one up to --nx-max organizations.

    python benchmarks/bench_analyze.py                 # 10k, 100k, 1M
    python benchmarks/bench_analyze.py --sizes 10000   # one size
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))
from benchdata import dataset_for  # noqa: E402


def plain_networkx_cascade(network) -> tuple[float, float]:
    """The same cascade as a Python loop over a networkx graph; (build seconds, cascade seconds)."""
    from graphmodel.analysis.cascade import cascade_networkx, default_sources
    from graphmodel.model.graph import to_networkx

    t0 = time.perf_counter()
    graph = to_networkx(network)
    t1 = time.perf_counter()
    ids = network.node_ids()
    cascade_networkx(graph, {ids[v]: p for v, p in default_sources(network).items()})
    return t1 - t0, time.perf_counter() - t1


def _peak_since_reset() -> float:
    """Peak resident memory (GiB) since the last call (Linux: VmHWM, reset through clear_refs)."""
    status = Path("/proc/self/status")
    if not status.exists():
        return float("nan")
    peak = next(int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmHWM:"))
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return peak / 2**20


def run_one(orgs: int, nx_max: int) -> dict:
    from graphmodel.analysis.cascade import cascade, schedule
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.memory import release_freed
    from graphmodel.model.network import build_network
    from graphmodel.results.findings import analyze
    from graphmodel.results.write import FindingsWriter

    folder = dataset_for(orgs)
    results = OUT / f"results-{orgs}"  # a fresh folder (see main)
    row: dict = {"orgs": orgs}
    t = time.perf_counter()
    data = read_dataset(folder)
    row["read_s"] = time.perf_counter() - t
    row["read_peak_gib"] = _peak_since_reset()
    t = time.perf_counter()
    network = build_network(data)
    row["build_s"] = time.perf_counter() - t
    row["build_peak_gib"] = _peak_since_reset()
    row["nodes"], row["links"] = network.n_nodes, network.n_links
    t = time.perf_counter()
    plan = schedule(network)
    pressure = cascade(network, plan=plan)
    row["cascade_s"] = time.perf_counter() - t  # includes its preparation (the schedule)
    t = time.perf_counter()
    cascade(network, plan=plan)
    row["cascade_again_s"] = time.perf_counter() - t
    del plan, pressure  # analyze runs its own
    _peak_since_reset()
    t = time.perf_counter()
    handed = [data.release("evidence.csv")]  # as `graphmodel analyze` does once the network is built
    del data
    release_freed()
    analyses_end = []
    with FindingsWriter(results) as writer:  # writing overlaps the analyses, as in the CLI
        findings = analyze(network, dataset=handed.pop(), ready=writer)
        analyses_end.append(time.perf_counter())
    row["analyses_s"] = analyses_end[0] - t
    row["write_s"] = time.perf_counter() - analyses_end[0]  # the writing left when the analyses end
    row["analyses_peak_gib"] = _peak_since_reset()
    row["analyze_total_s"] = row["read_s"] + row["build_s"] + row["analyses_s"] + row["write_s"]
    row["peak_rss_gib"] = max(row[k] for k in ("read_peak_gib", "build_peak_gib", "analyses_peak_gib"))
    if row["peak_rss_gib"] != row["peak_rss_gib"]:  # no /proc: the process' peak
        row["peak_rss_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    if orgs <= nx_max:
        nx_build, nx_cascade = plain_networkx_cascade(network)
        row["nx_build_s"], row["nx_cascade_s"] = nx_build, nx_cascade
        row["speedup"] = nx_cascade / row["cascade_s"]
    assert 0 <= findings.pressure.min() and findings.pressure.max() <= 1
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--nx-max", type=int, default=100_000, help="largest size for the networkx loop")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.nx_max)))
        return
    OUT.mkdir(exist_ok=True)
    rows = []
    for size in args.sizes:
        dataset_for(size)  # generate outside the measured process
        # the results go to a fresh folder: replacing an earlier run's would add their deletion (about
        # 0.9 s for the 4.3 GB of 1M organizations), and the disk's discards would run during the next
        shutil.rmtree(OUT / f"results-{size}", ignore_errors=True)
        os.sync()
        done = subprocess.run([sys.executable, __file__, "--one", str(size), "--nx-max", str(args.nx_max)],
                              check=True, capture_output=True, text=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"done {size}", file=sys.stderr)
    head = ("| orgs | nodes | links | read s | build s | cascade s (incl. prep) | networkx loop s | speedup "
            "| analyses s | writing left s | whole analyze s | peak RSS GiB |")
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    peaks = [("read", "read_peak_gib"), ("build", "build_peak_gib"), ("analyses and writing", "analyses_peak_gib")]
    for r in rows:
        nx_s = f"{r['nx_cascade_s']:.2f}" if "nx_cascade_s" in r else "—"
        speed = f"{r['speedup']:.0f}×" if "speedup" in r else "—"
        print(f"| {r['orgs']:,} | {r['nodes']:,} | {r['links']:,} | {r['read_s']:.2f} | {r['build_s']:.2f} "
              f"| {r['cascade_s']:.3f} | {nx_s} | {speed} | {r['analyses_s']:.1f} | {r['write_s']:.1f} "
              f"| {r['analyze_total_s']:.1f} | {r['peak_rss_gib']:.2f} |")
    print("\nPeak resident memory (GiB) within each step:")
    for r in rows:
        print(f"- {r['orgs']:,}: " + ", ".join(f"{name} {r[key]:.2f}" for name, key in peaks))


if __name__ == "__main__":
    main()
