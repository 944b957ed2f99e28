"""Benchmark: load into Neo4j and read back, at 10k and 100k organizations.

Start a server first (``scripts/neo4j start``); the benchmark talks to NEO4J_URI (default
bolt://127.0.0.1:7687) and REPLACES graphmodel's nodes in that database. For each size, in
separate processes (so each peak memory is its own):

- load: ``load_dataset(..., replace=True)`` into an emptied graph, then the same load again
  (idempotent: MERGE finds everything), both timed;
- read: ``read_dataset_from_neo4j`` (streamed, batched) then ``build_network``, timed, with
  its peak RSS beside that of reading the same dataset from its folder.

Throughput is graph elements (nodes + relationships) per second. Datasets are generated once
into benchmarks/out/ and reused.

    python benchmarks/bench_neo4j.py                  # 10k and 100k
    python benchmarks/bench_neo4j.py --sizes 10000    # one size
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))
from benchdata import dataset_for  # noqa: E402


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_load(orgs: int) -> dict:
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.model.network import build_network
    from graphmodel.store.load import clear_graph, load_dataset
    from graphmodel.store.settings import Neo4jSettings

    settings = Neo4jSettings.from_env()
    ds = read_dataset(dataset_for(orgs))
    net = build_network(ds)
    clear_graph(settings)
    t0 = time.perf_counter()
    counts = load_dataset(settings, ds, net)
    t1 = time.perf_counter()
    again = load_dataset(settings, ds, net)
    t2 = time.perf_counter()
    assert again.elements == counts.elements
    return {"elements": counts.elements, "nodes": sum(counts.nodes.values()),
            "load_s": t1 - t0, "reload_s": t2 - t1}


def phase_read(orgs: int) -> dict:
    from graphmodel.model.network import build_network
    from graphmodel.store.read import read_dataset_from_neo4j
    from graphmodel.store.settings import Neo4jSettings

    t0 = time.perf_counter()
    ds = read_dataset_from_neo4j(Neo4jSettings.from_env())
    t1 = time.perf_counter()
    net = build_network(ds)
    return {"read_s": t1 - t0, "links": net.n_links, "read_rss_mib": _rss_mib()}


def phase_folder(orgs: int) -> dict:
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.model.network import build_network

    t0 = time.perf_counter()
    net = build_network(read_dataset(dataset_for(orgs)))
    return {"folder_s": time.perf_counter() - t0, "links": net.n_links, "folder_rss_mib": _rss_mib()}


PHASES = {"load": phase_load, "read": phase_read, "folder": phase_folder}


def run(orgs: int) -> dict:
    dataset_for(orgs)
    row: dict = {"orgs": orgs}
    for phase in ("load", "read", "folder"):
        out = subprocess.run([sys.executable, __file__, "--phase", phase, str(orgs)],
                             check=True, capture_output=True, text=True, env=os.environ)
        row.update(json.loads(out.stdout.strip().splitlines()[-1]))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--phase", nargs=2, metavar=("PHASE", "ORGS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase[0]](int(args.phase[1]))))
        return
    from graphmodel.store.connection import server_info
    from graphmodel.store.settings import Neo4jSettings

    settings = Neo4jSettings.from_env()
    info = server_info(settings)
    print(f"Neo4j {info['version']} {info['edition']} at {settings.uri}; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f}")
    header = (f"{'orgs':>8} {'elements':>9} {'load s':>7} {'load el/s':>10} {'reload s':>9} "
              f"{'read s':>7} {'read el/s':>10} {'read RSS':>9} {'folder RSS':>11}")
    print(header)
    for orgs in args.sizes:
        r = run(orgs)
        e = r["elements"]
        print(f"{orgs:>8} {e:>9} {r['load_s']:>7.1f} {e / r['load_s']:>10.0f} {r['reload_s']:>9.1f} "
              f"{r['read_s']:>7.1f} {e / r['read_s']:>10.0f} {r['read_rss_mib']:>7.0f}Mi "
              f"{r['folder_rss_mib']:>9.0f}Mi", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
