"""The ``graphmodel`` command line: each command parses, calls the library, writes files, prints."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from graphmodel.errors import DatasetError, GraphModelError

if TYPE_CHECKING:
    from graphmodel.store.settings import Neo4jSettings

app = typer.Typer(
    help="Responsibility network analyzer for the 全面从严治党“四责协同”机制.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@contextlib.contextmanager
def _steps(quiet: bool) -> Iterator[Callable[[str], None]]:
    """A progress display fed with step names; silent when quiet or not on a terminal."""
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=quiet,
    )
    with progress:
        task = progress.add_task("starting", total=None)

        def step(name: str) -> None:
            progress.update(task, description=name)

        yield step


def _fail(error: GraphModelError) -> None:
    if isinstance(error, DatasetError):
        for problem in error.problems:
            err.print(str(problem), markup=False)
        err.print(f"{len(error.problems)} problem(s); nothing was written.", markup=False)
        raise typer.Exit(2)
    err.print(f"error: {error}", markup=False)
    raise typer.Exit(1)


def _dataset_path(dataset: Optional[Path]) -> Path:
    from graphmodel.dataset.sample import sample_path

    return dataset if dataset is not None else sample_path()


@app.command()
def validate(
    dataset: Annotated[Path, typer.Argument(help="Dataset folder (CSV files, DESIGN §3).")],
    lenient: Annotated[bool, typer.Option(help="Report evidence rows that match no expected link without refusing.")] = False,
) -> None:
    """Check a dataset folder; list every problem as file:line: column: what is wrong."""
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.model.network import build_network

    try:
        data = read_dataset(dataset)
        network = build_network(data, lenient=lenient)
    except GraphModelError as error:
        _fail(error)
        return
    for problem in network.skipped_evidence:
        err.print(f"{problem} (skipped)", markup=False)
    out.print(
        f"{dataset}: valid — {len(data.organizations)} organizations, {network.n_nodes} responsibilities, "
        f"{network.n_links} links" + (f", {len(network.skipped_evidence)} evidence row(s) skipped" if network.skipped_evidence else ""),
        markup=False,
    )


@app.command()
def analyze(
    dataset: Annotated[Optional[Path], typer.Argument(help="Dataset folder; the bundled Shanghai sample when omitted.")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for findings.json and the CSVs.")] = Path("results"),
    lenient: Annotated[bool, typer.Option(help="Skip (and report) evidence rows that match no expected link.")] = False,
    source: Annotated[Optional[list[str]], typer.Option(help="A source responsibility id (repeatable); default: principal:root and the root's 纪委.")] = None,
    tau_weak: Annotated[float, typer.Option(help="A link is active when its weight is at least this.")] = 0.5,
    rho_drop: Annotated[float, typer.Option(help="Drop when p(principal:X) < ρ · p(principal:parent).")] = 0.5,
    theta_hot: Annotated[float, typer.Option(help="Cooling: level 0's mean at least this …")] = 0.8,
    theta_cold: Annotated[float, typer.Option(help="… and the deepest level's mean below this.")] = 0.3,
    blockage_factor: Annotated[float, typer.Option(help="Blockage when r_k < factor × median of the other levels' r.")] = 0.6,
    year: Annotated[Optional[int], typer.Option(help="Use only this year's evidence, cases and indicators.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="YYYY-MM-DD", help="Date overdue projects are judged against (default: today).")] = None,
    weights: Annotated[Optional[Path], typer.Option(help="CSV indicator,weight: 政治生态 weights instead of the entropy weights.")] = None,
    neo4j: Annotated[bool, typer.Option("--neo4j", help="Read the network from Neo4j (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE) instead of a folder.")] = False,
    write: Annotated[bool, typer.Option("--write", help="With --neo4j: write pressures and broken-link flags back onto the graph.")] = False,
    uri: Annotated[Optional[str], typer.Option(help="With --neo4j: the server, overriding NEO4J_URI.")] = None,
    username: Annotated[Optional[str], typer.Option(help="With --neo4j: the user, overriding NEO4J_USERNAME (the password comes only from NEO4J_PASSWORD).")] = None,
    database: Annotated[Optional[str], typer.Option(help="With --neo4j: the database, overriding NEO4J_DATABASE.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Analyze a dataset: cascade, levels, broken links, 一岗双责, 四责协同, three lists, 一案双查, 政治生态; write findings.json and CSVs."""
    # what runs after the reading is imported while the dataset is read
    _import_in_background("graphmodel.model.network", "graphmodel.results.findings", "graphmodel.results.write")
    from graphmodel.analysis.lists import parse_as_of
    from graphmodel.analysis.parameters import Parameters
    from graphmodel.dataset.reader import read_dataset

    if neo4j and dataset is not None:
        err.print("error: give a dataset folder or --neo4j, not both", markup=False)
        raise typer.Exit(2)
    if write and not neo4j:
        err.print("error: --write writes onto the graph the analysis read: use it with --neo4j", markup=False)
        raise typer.Exit(2)
    path = _dataset_path(dataset)
    try:
        params = Parameters(tau_weak=tau_weak, rho_drop=rho_drop, theta_hot=theta_hot,
                            theta_cold=theta_cold, blockage_factor=blockage_factor,
                            sources=tuple(source or ()))
        day = parse_as_of(as_of)
        if weights is not None:
            from graphmodel.analysis.ecology import read_weights

            given = read_weights(weights)
        else:
            given = None
        settings = _settings(uri, username, database) if neo4j else None
        with _steps(quiet) as step:
            step("reading the dataset")
            if settings is not None:
                from graphmodel.store.read import read_dataset_from_neo4j

                data = read_dataset_from_neo4j(settings, _counter(step))
            else:
                data = read_dataset(path)
            if year is not None:
                from graphmodel.analysis.timeline import check_year, for_year

                check_year(data, year)
                data = for_year(data, year)
            from graphmodel.memory import release_freed
            from graphmodel.model.network import build_network
            from graphmodel.results.findings import analyze as run_analysis
            from graphmodel.results.write import FindingsWriter

            step("building the network")
            network = build_network(data, lenient=lenient)
            # The evidence is summed into the links: the analyses need no more of it. The rest is
            # handed over whole, so that the analysis can let it go as soon as it is done with it.
            handed = [data.release("evidence.csv")]
            del data
            release_freed()
            with FindingsWriter(out_dir) as writer:  # each result is written as soon as it is final
                findings = run_analysis(network, params, dataset=handed.pop(), progress=step, as_of=day,
                                        weights=given, year=year, ready=writer)
                step("writing results")
            written = writer.written
            if settings is not None and write:
                from graphmodel.store.writeback import write_analysis

                counts = write_analysis(settings, findings, progress=_counter(step))
    except GraphModelError as error:
        _fail(error)
        return
    _print_summary(settings.uri if settings is not None else path, findings, written)
    if settings is not None and write:
        out.print(f"wrote back to {settings.uri}: {counts.responsibilities} responsibilities, {counts.links} links "
                  f"({counts.broken} broken)" + (f", {counts.organizations} organizations" if counts.organizations else ""),
                  markup=False)


def _import_in_background(*modules: str) -> None:
    """Import ``modules`` on a background thread: Python's import locks make a later ``import``
    of one of them wait until it is done, and the reading it overlaps leaves the GIL free much of
    the time (Arrow parses the files)."""
    import importlib
    import threading

    threading.Thread(target=lambda: [importlib.import_module(name) for name in modules],
                     name="graphmodel-import", daemon=True).start()


def _print_summary(path: Path | str, findings: object, written: list[Path]) -> None:
    from graphmodel.results.findings import Findings

    assert isinstance(findings, Findings)
    counts = findings.values["dataset"]
    out.print(f"[bold]{path}[/bold]: {counts.get('organizations', '?')} organizations, "
              f"{counts['responsibilities']} responsibilities, {counts['links']} links")
    for problem in findings.network.skipped_evidence:
        err.print(f"{problem} (skipped)", markup=False)
    table = Table(title="Pressure by level (层层传导压力)", title_justify="left")
    for column in ("level", "count", "mean", "median", "p10", "attenuation"):
        table.add_column(column, justify="right")
    for row in findings.tables["levels"].itertuples():
        table.add_row(str(row.level), str(row.count), f"{row.mean:.3f}", f"{row.median:.3f}",
                      f"{row.p10:.3f}", "" if row.attenuation != row.attenuation else f"{row.attenuation:.3f}")
    out.print(table)
    pats = findings.values["patterns"]
    detail = pats.get("detail", {})
    cooling = "yes" if pats["cooling"] else "no"
    out.print(f"cooling 上热中温下冷: {cooling} (level 0 mean {detail.get('top_mean', 0):.3f}, "
              f"deepest level mean {detail.get('deepest_mean', 0):.3f})")
    blocked = ", ".join(str(k) for k in pats["blockages"]) or "none"
    out.print(f"blockage 中梗阻 at level(s): {blocked}")
    _print_detections(findings)
    _print_mechanism(findings.values)
    out.print(f"wrote {len(written)} files to {written[0].parent}")


def _print_detections(findings: object) -> None:
    """One line per detection, and the top of the repair list."""
    from graphmodel.results.findings import Findings

    assert isinstance(findings, Findings)
    tables, values = findings.tables, findings.values
    if "broken_links" in tables:
        info, repair = values["repair"], tables["broken_links"]
        head = "" if info["certified"] else "; head not certified"
        out.print(f"broken links 传导断点: {info['broken']} (missing {info['missing']}, weak {info['weak']}); "
                  f"fix first (gain in Σp{head}):", markup=False)
        for i, r in enumerate(repair.head(5).itertuples(), 1):
            out.print(f"  {i}. {r.source} → {r.target}  {r.category} w={r.weight:.2f}  +{r.impact:.2f}", markup=False)
    if "drops" in tables:
        out.print(f"drops 压力骤降: {len(tables['drops'])} organizations below ρ_drop × their parent's pressure", markup=False)
    if "vacancies" in tables:
        v = tables["vacancies"]["category"].value_counts()
        out.print(f"vacancies 缺位: secretary {v.get('secretary', 0)}, supervision {v.get('supervision', 0)}, "
                  f"members {v.get('members', 0)}", markup=False)
    if "dual_duty_by_level" in tables:
        d = tables["dual_duty_by_level"]
        holders = max(int(d["holders"].sum()), 1)
        out.print(f"一岗双责 holders {holders}: isolated {int(d['isolated'].sum())} ({d['isolated'].sum() / holders:.1%}), "
                  f"cut off {int(d['cut_off'].sum())} ({d['cut_off'].sum() / holders:.1%}), "
                  f"no duty {int(d['no_duty'].sum())}", markup=False)
    if "coordination_by_level" in tables:
        c = tables["coordination_by_level"]
        out.print("四责协同 weakest by level: " + ", ".join(f"L{r.level} {r.most_often}" for r in c.itertuples())
                  + f"; mean index {tables['coordination']['index'].mean():.3f}", markup=False)
    if "loop" in tables and len(tables["loop"]):
        lp = tables["loop"]
        out.print(f"closed loop 知责→履责→问责 complete in {lp['complete'].mean():.1%} (know {lp['know'].mean():.0%}, "
                  f"perform {lp['perform'].mean():.0%}, assess {lp['assess'].mean():.0%})", markup=False)


def _settings(uri: Optional[str], username: Optional[str], database: Optional[str]) -> Neo4jSettings:
    from graphmodel.store.settings import Neo4jSettings

    return Neo4jSettings.from_env(uri=uri, username=username, database=database)


def _counter(step: Callable[[str], None]) -> Callable[[str, int, int], None]:
    """A (stage, done, total) progress callback shown through a step display."""

    def report(stage: str, done: int, total: int) -> None:
        step(f"{stage} {done:,}/{total:,}" if total else stage)

    return report


@app.command()
def load(
    dataset: Annotated[Optional[Path], typer.Argument(help="Dataset folder; the bundled Shanghai sample when omitted.")] = None,
    replace: Annotated[bool, typer.Option(help="Remove what graphmodel stored before (another dataset) first.")] = False,
    lenient: Annotated[bool, typer.Option(help="Skip (and report) evidence rows that match no expected link.")] = False,
    uri: Annotated[Optional[str], typer.Option(help="The server, overriding NEO4J_URI.")] = None,
    username: Annotated[Optional[str], typer.Option(help="The user, overriding NEO4J_USERNAME (the password comes only from NEO4J_PASSWORD).")] = None,
    database: Annotated[Optional[str], typer.Option(help="The database, overriding NEO4J_DATABASE.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Load a dataset into Neo4j (validated first; batched, idempotent; a cut-off load completes when run again)."""
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.model.network import build_network
    from graphmodel.store.load import load_dataset

    path = _dataset_path(dataset)
    try:
        settings = _settings(uri, username, database)
        with _steps(quiet) as step:
            step("reading the dataset")
            data = read_dataset(path)
            step("building the network")
            network = build_network(data, lenient=lenient)
            counts = load_dataset(settings, data, network, _counter(step), replace=replace, source=str(path))
    except GraphModelError as error:
        _fail(error)
        return
    for problem in network.skipped_evidence:
        err.print(f"{problem} (skipped)", markup=False)
    rate = counts.elements / counts.seconds if counts.seconds else 0
    out.print(f"loaded {path} into {settings.uri}: {sum(counts.nodes.values()):,} nodes, "
              f"{sum(counts.relationships.values()):,} relationships in {counts.seconds:.1f} s "
              f"({rate:,.0f} elements/s)" + (" — completed an earlier load that was cut off" if counts.resumed else ""),
              markup=False)


@app.command()
def export(
    out_dir: Annotated[Path, typer.Argument(metavar="DIR", help="Dataset folder to write.")],
    overwrite: Annotated[bool, typer.Option(help="Replace the dataset files in DIR if it holds some.")] = False,
    uri: Annotated[Optional[str], typer.Option(help="The server, overriding NEO4J_URI.")] = None,
    username: Annotated[Optional[str], typer.Option(help="The user, overriding NEO4J_USERNAME (the password comes only from NEO4J_PASSWORD).")] = None,
    database: Annotated[Optional[str], typer.Option(help="The database, overriding NEO4J_DATABASE.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Export the graph in Neo4j as a dataset folder (it round-trips: it analyzes to the same findings)."""
    from graphmodel.store.export import export_dataset

    try:
        settings = _settings(uri, username, database)
        with _steps(quiet) as step:
            rows = export_dataset(settings, out_dir, _counter(step), overwrite=overwrite)
    except GraphModelError as error:
        _fail(error)
        return
    out.print(f"exported {settings.uri} to {out_dir}: " + ", ".join(f"{name} {n:,}" for name, n in rows.items()), markup=False)


@app.command()
def generate(
    out_path: Annotated[Path, typer.Argument(metavar="OUT", help="Dataset folder to write (must not exist or be empty).")],
    orgs: Annotated[int, typer.Option(help="Number of organizations.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Generate a valid dataset with planted faults, and its ground truth beside it."""
    from graphmodel.dataset.generate import generate_dataset

    progress = Progress(TextColumn("generating"), BarColumn(), TextColumn("{task.completed}/{task.total} organizations"),
                        TimeElapsedColumn(), console=err, transient=True, disable=quiet)
    try:
        with progress:
            task = progress.add_task("generate", total=orgs)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            summary = generate_dataset(out_path, orgs, seed, progress=advance)
    except GraphModelError as error:
        _fail(error)
        return
    out.print(f"wrote {out_path} — {summary}", markup=False)


def _print_mechanism(values: dict) -> None:  # type: ignore[type-arg]
    """One line each for the three lists, the 一案双查 traces and the 政治生态 portrait."""
    if "lists" in values:
        s = values["lists"]["summary"]
        out.print(f"three lists 三张清单: {s['problems']} problems, {s['problems_without_project']} without a project; "
                  f"{s['projects']} projects, {s['projects_without_owner']} without an owner, "
                  f"{s['owners_not_in_charge']} owned by a cadre not in charge, {s['overdue']} overdue as of {s['as_of']}",
                  markup=False)
    if "cases" in values:
        s = values["cases"]["summary"]
        out.print(f"一案双查: {s['cases']} cases traced, {s['implicated_any']} implicate a leadership responsibility; "
                  f"most often implicated: {s['most_implicated'] or 'none'}", markup=False)
    if "ecology" in values:
        s = values["ecology"]["summary"]
        rho = s["relation"].get("pressure", {}).get("spearman")
        mean = "—" if s["mean_index"] is None else f"{s['mean_index']:.1f}"
        out.print(f"政治生态 ({s['year'] or 'undated'}, {s['method']} weights): {s['organizations']} organizations, "
                  f"mean index {mean}, {s['trees']} trees; Spearman ρ with received pressure "
                  + ("—" if rho is None else f"{rho:.2f}"), markup=False)


@app.command()
def trace(
    case_id: Annotated[str, typer.Argument(metavar="CASE_ID", help="The case's id in cases.csv.")],
    dataset: Annotated[Optional[Path], typer.Argument(help="Dataset folder; the bundled Shanghai sample when omitted.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the trace as JSON.")] = False,
    year: Annotated[Optional[int], typer.Option(help="Weigh the links with this year's evidence only.")] = None,
    tau_weak: Annotated[float, typer.Option(help="A link is weak below this weight.")] = 0.5,
    lenient: Annotated[bool, typer.Option(help="Skip evidence rows that match no expected link.")] = False,
) -> None:
    """一案双查: the cadre involved and the holders of leadership responsibility for a case, with the weak links that reached them."""
    import json

    from graphmodel.analysis.accountability import trace_case
    from graphmodel.analysis.cascade import cascade
    from graphmodel.analysis.parameters import Parameters
    from graphmodel.analysis.timeline import check_year, for_year
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.model.network import build_network

    try:
        params = Parameters(tau_weak=tau_weak)
        data = read_dataset(_dataset_path(dataset))
        if year is not None:
            check_year(data, year)
            data = for_year(data, year)
        network = build_network(data, lenient=lenient)
        result = trace_case(network, cascade(network), data, case_id, params)
    except GraphModelError as error:
        _fail(error)
        return
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    case = result.case
    holders = result.to_dict()["holders"]
    org_name = {h["org"]: h["org_name"] for h in holders}
    out.print(f"case {case['id']} in {org_name.get(case['org_id'], '')} {case['org_id']}"
              + "".join(f", {case[k]}" for k in ("cadre_id", "date", "kind") if case.get(k)), markup=False)
    width = max((len(h["role"]) for h in holders), default=0)
    step_shown = -1
    for row in holders:
        if row["step"] != step_shown:
            step_shown = row["step"]
            out.print(f"step {step_shown}  {row['org_name']} {row['org']}", markup=False)
        holder = "(vacant)" if row["vacant"] else f"{row['holder_name']} {row['holder']}".strip()
        pressure = "" if row["pressure"] is None else f"p {row['pressure']:.3f}"
        mark = "✱" if row["implicated"] else " "
        out.print(f"  {mark} {row['role']:<{width}}  {holder}  {row['responsibility']}  {pressure}".rstrip(), markup=False)
        for link in row["links"]:
            arrow = "← reached by" if link["relation"] == "reached_by" else "→ toward the case"
            out.print(f"        {arrow}: {link['source']} → {link['target']} ({link['category']}, w {link['weight']:.2f})",
                      markup=False)
    out.print("✱ implicated (a weak or missing link reached it, or its own link toward the case is weak or missing); "
              "responsibilities implicated: " + (", ".join(result.implicated) or "none"), markup=False)


@app.command()
def compare(
    year_a: Annotated[int, typer.Argument(metavar="YEAR_A", help="The earlier year.")],
    year_b: Annotated[int, typer.Argument(metavar="YEAR_B", help="The later year.")],
    dataset: Annotated[Optional[Path], typer.Argument(help="Dataset folder; the bundled Shanghai sample when omitted.")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for compare.json and the CSVs.")] = Path("results"),
    tau_weak: Annotated[float, typer.Option(help="A link is active when its weight is at least this.")] = 0.5,
    tolerance: Annotated[float, typer.Option(help="A level cooled or warmed when its mean moved by more than this.")] = 0.01,
    ecology: Annotated[bool, typer.Option(help="Also compare the two years' 政治生态 index.")] = False,
    weights: Annotated[Optional[Path], typer.Option(help="With --ecology: CSV indicator,weight for the index.")] = None,
    lenient: Annotated[bool, typer.Option(help="Skip evidence rows that match no expected link.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Compare two years: levels cooled or warmed, links broken or repaired, the largest moves of the indexes."""
    from graphmodel.analysis.ecology import read_weights
    from graphmodel.analysis.parameters import Parameters
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.results.compare import compare_years, write_comparison

    try:
        params = Parameters(tau_weak=tau_weak)
        given = read_weights(weights) if weights is not None else None
        with _steps(quiet) as step:
            step("reading the dataset")
            data = read_dataset(_dataset_path(dataset))
            result = compare_years(data, year_a, year_b, params, lenient=lenient, tolerance=tolerance,
                                   ecology=ecology, weights=given, progress=step)
            step("writing results")
            written = write_comparison(result, out_dir)
    except GraphModelError as error:
        _fail(error)
        return
    table = Table(title=f"Pressure by level, {year_a} → {year_b}", title_justify="left")
    for column in ("level", str(year_a), str(year_b), "change", ""):
        table.add_column(column, justify="right")
    for row in result.tables["levels"].itertuples():
        table.add_row(str(row.level), f"{row.mean_a:.3f}", f"{row.mean_b:.3f}", f"{row.delta:+.3f}", row.change)
    out.print(table)
    links = result.values["summary"]["links"]
    out.print(f"links: {links['repaired']} repaired, {links['newly_broken']} newly broken "
              f"(broken: {links['broken_a']} in {year_a}, {links['broken_b']} in {year_b})", markup=False)
    for row in result.values["summary"]["coordination"]["top"][:5]:
        out.print(f"四责协同 {row['org']}: {row['index_a']:.3f} → {row['index_b']:.3f}", markup=False)
    out.print(f"wrote {len(written)} files to {out_dir}", markup=False)


@app.command()
def report(
    dataset: Annotated[Optional[Path], typer.Argument(help="Dataset folder; the bundled Shanghai sample when omitted (and without --neo4j).")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for report.html, figures/ and data/.")] = Path("report"),
    lang: Annotated[str, typer.Option(help="Language of the page and its figures: zh or en.")] = "zh",
    neo4j: Annotated[bool, typer.Option("--neo4j", help="Read the dataset from Neo4j (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE).")] = False,
    uri: Annotated[Optional[str], typer.Option(help="With --neo4j: the server, overriding NEO4J_URI.")] = None,
    username: Annotated[Optional[str], typer.Option(help="With --neo4j: the user, overriding NEO4J_USERNAME (the password comes only from NEO4J_PASSWORD).")] = None,
    database: Annotated[Optional[str], typer.Option(help="With --neo4j: the database, overriding NEO4J_DATABASE.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="YYYY-MM-DD", help="Date overdue projects are judged against (default: today).")] = None,
    dpi: Annotated[int, typer.Option(min=50, max=1200, help="Resolution of the PNG figure files (the page embeds them at up to 150 dpi).")] = 300,
    lenient: Annotated[bool, typer.Option(help="Skip (and report) evidence rows that match no expected link.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Write a briefing pack: a self-contained report.html, the figures as PNG/SVG/PDF, and the CSVs."""
    from graphmodel.analysis.lists import parse_as_of
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.model.network import build_network
    from graphmodel.render.labels import check_lang
    from graphmodel.report import write_report
    from graphmodel.results.findings import analyze as run_analysis

    if neo4j and dataset is not None:
        err.print("error: give a dataset folder or --neo4j, not both", markup=False)
        raise typer.Exit(2)
    try:
        check_lang(lang)
        day = parse_as_of(as_of)
        with _steps(quiet) as step:
            step("reading the dataset")
            if neo4j:
                from graphmodel.store.read import read_dataset_from_neo4j
                from graphmodel.store.settings import Neo4jSettings

                settings = Neo4jSettings.from_env(uri=uri, username=username, database=database)
                data, source = read_dataset_from_neo4j(settings), settings.uri
            else:
                path = _dataset_path(dataset)
                data, source = read_dataset(path), str(path)
            step("building the network")
            network = build_network(data, lenient=lenient)
            findings = run_analysis(network, dataset=data, progress=step, as_of=day)
            step("writing the report")
            pack = write_report(findings, out_dir, dataset=data, lang=lang, source=source, dpi=dpi)
    except GraphModelError as error:
        _fail(error)
        return
    for problem in network.skipped_evidence:
        err.print(f"{problem} (skipped)", markup=False)
    out.print(f"wrote {pack.page} ({len(pack.headlines)} findings, {len(pack.figures)} figures, "
              f"{len(pack.tables)} tables; {len(pack.files())} files)", markup=False, soft_wrap=True)


@app.command()
def query(
    name: Annotated[Optional[str], typer.Argument(help="The query to run (see --list).")] = None,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", metavar="KEY=VALUE", help="A parameter (repeatable); 'null' for none.")] = None,
    list_all: Annotated[bool, typer.Option("--list", help="List every query with its question and parameters.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    folder: Annotated[Optional[Path], typer.Option("--queries", help="Folder of .cypher files (default: the repository's queries/).")] = None,
    uri: Annotated[Optional[str], typer.Option(help="The server, overriding NEO4J_URI.")] = None,
    username: Annotated[Optional[str], typer.Option(help="The user, overriding NEO4J_USERNAME (the password comes only from NEO4J_PASSWORD).")] = None,
    database: Annotated[Optional[str], typer.Option(help="The database, overriding NEO4J_DATABASE.")] = None,
) -> None:
    """Run a query of the Cypher library (queries/) by name against Neo4j; print its answer."""
    from graphmodel.store.queries import list_queries, parse_assignments, run_query, table_to_csv, table_to_json
    from graphmodel.store.settings import Neo4jSettings

    if fmt not in ("table", "csv", "json"):
        err.print(f"error: --format must be table, csv or json, not {fmt!r}", markup=False)
        raise typer.Exit(2)
    if list_all == (name is not None):
        err.print("error: give a query name or --list", markup=False)
        raise typer.Exit(2)
    try:
        if list_all:
            _print_queries(list_queries(folder), fmt)
            return
        assert name is not None
        settings = Neo4jSettings.from_env(uri=uri, username=username, database=database)
        answer = run_query(settings, name, parse_assignments(param or []), folder=folder)
    except GraphModelError as error:
        _fail(error)
        return
    if fmt == "csv":
        sys.stdout.write(table_to_csv(answer))
    elif fmt == "json":
        sys.stdout.write(table_to_json(answer) + "\n")
    else:
        table = Table(title=f"{name} ({len(answer)} rows)", title_justify="left")
        for column in answer.columns:
            table.add_column(str(column), overflow="fold")
        for row in answer.itertuples(index=False):
            table.add_row(*(_shown(v) for v in row))
        out.print(table)


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return str(value)


def _print_queries(specs: list, fmt: str) -> None:  # type: ignore[type-arg]
    if fmt == "json":
        import orjson

        rows = [{"name": s.name, "question": s.question, "问题": s.question_zh, "mode": s.mode,
                 "columns": list(s.columns), "params": [
                     {"name": p.name, "type": p.type, "required": p.required,
                      "default": p.default if not hasattr(p.default, "isoformat") else p.default.isoformat(),
                      "description": p.description} for p in s.params]} for s in specs]
        sys.stdout.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["name", "params", "question", "问题"])
        for s in specs:
            writer.writerow([s.name, " ".join(p.name for p in s.params), s.question, s.question_zh])
        return
    table = Table(title=f"{len(specs)} queries (graphmodel query NAME --param key=value)", title_justify="left")
    table.add_column("name", no_wrap=True)
    table.add_column("parameters")
    table.add_column("question / 问题")
    for s in specs:
        params = " ".join(p.name if p.required else f"[{p.name}]" for p in s.params)
        table.add_row(s.name, params, f"{s.question}\n{s.question_zh}")
    out.print(table)


def main() -> None:
    """Entry point of the ``graphmodel`` command."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
