"""Benchmark: the rest of the mechanism — three lists, 一案双查 traces of every case, the 政治生态
portrait and the two-year comparison — at 10k / 100k / 1M organizations.

Each size runs in its own process (its peak memory is its own). Datasets come from the current
generator (with problems, projects, cases, indicators and two dated years) and are generated once
into benchmarks/out/mech-<orgs>-s1/, then reused. Reading the folder, building the network and
the cascade are the prerequisites every analysis shares; they are timed apart. ``compare`` reuses
the network's structure and matches the evidence to its links once more, for each year's weights.

    python benchmarks/bench_mechanism.py                  # 10k, 100k, 1M
    python benchmarks/bench_mechanism.py --sizes 100000   # one size
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def dataset_for(orgs: int, seed: int = 1) -> tuple[Path, float | None]:
    """The benchmark folder of ``orgs`` organizations, and the generation time when made now."""
    from graphmodel.dataset.generate import generate_dataset

    folder = OUT / f"mech-{orgs}-s{seed}"
    if (folder / "indicators.csv").exists():
        return folder, None
    t = time.perf_counter()
    generate_dataset(folder, orgs, seed)
    return folder, time.perf_counter() - t


def run_one(orgs: int) -> dict:
    from graphmodel.analysis.accountability import implicated_kinds, trace_cases
    from graphmodel.analysis.cascade import cascade
    from graphmodel.analysis.ecology import portrait, principal_pressure
    from graphmodel.analysis.lists import three_lists
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.model.network import build_network
    from graphmodel.results.compare import compare_years, write_comparison

    folder, _ = dataset_for(orgs)
    row: dict = {"orgs": orgs}
    t = time.perf_counter()
    data = read_dataset(folder)
    network = build_network(data)
    pressure = cascade(network)
    row["prerequisites_s"] = time.perf_counter() - t
    row["problems"], row["projects"] = len(data.problems), len(data.projects)
    row["cases"], row["indicator_rows"] = len(data.cases), len(data.indicators)

    t = time.perf_counter()
    lists = three_lists(data, as_of="2024-12-31", tree=network.tree)
    row["lists_s"] = time.perf_counter() - t
    row["overdue"] = len(lists.overdue)

    t = time.perf_counter()
    ids = network.node_ids()
    row["node_ids_s"] = time.perf_counter() - t  # shared with analyze's responsibilities table
    t = time.perf_counter()
    traces = trace_cases(network, pressure, data.cases, node_ids=ids)
    kinds = implicated_kinds(traces)
    row["trace_all_s"] = time.perf_counter() - t
    row["trace_rows"], row["most_implicated"] = len(traces.holders), kinds.attrs["most_often"]

    t = time.perf_counter()
    eco = portrait(data, pressure=principal_pressure(network, pressure), tree=network.tree)
    row["ecology_s"] = time.perf_counter() - t
    row["trees"] = len(eco.trees)
    row["spearman"] = eco.relation["pressure"]["spearman"]

    del traces, lists, eco
    t = time.perf_counter()
    result = compare_years(data, 2023, 2024, network=network)  # its own weights per year
    row["compare_s"] = time.perf_counter() - t
    t = time.perf_counter()
    write_comparison(result, OUT / f"compare-{orgs}")
    row["compare_write_s"] = time.perf_counter() - t
    row["repaired"] = result.values["summary"]["links"]["repaired"]
    row["peak_rss_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    OUT.mkdir(exist_ok=True)
    rows = []
    for size in args.sizes:
        _, generated = dataset_for(size)  # generate outside the measured process
        done = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["generate_s"] = generated
        rows.append(row)
        print(f"done {size}", file=sys.stderr)
    head = ("| orgs | problems | cases | indicator rows | read+build+cascade s | lists s | trace all cases s "
            "| ecology s | compare s (+ write) | peak RSS GiB |")
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    for r in rows:
        print(f"| {r['orgs']:,} | {r['problems']:,} | {r['cases']:,} | {r['indicator_rows']:,} | "
              f"{r['prerequisites_s']:.1f} | {r['lists_s']:.2f} | {r['trace_all_s']:.2f} | {r['ecology_s']:.2f} | "
              f"{r['compare_s']:.1f} (+{r['compare_write_s']:.1f}) | {r['peak_rss_gib']:.2f} |")


if __name__ == "__main__":
    main()
