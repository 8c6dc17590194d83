"""``matchmaker match``, ``matchmaker eval`` and ``matchmaker index rebuild``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from matchmaker.matching.query import MatchQuery, MatchResult
from matchmaker.matching.registry import CHANNELS

__all__ = ["MATCHING_COMMANDS", "eval_command", "index_group", "match_command"]


def _engine(obj: Any):
    from matchmaker.instance import SchemaNotReady, ensure_schema_ready
    from matchmaker.matching.engine import MatchEngine

    try:
        ensure_schema_ready(obj.database.engine)
    except SchemaNotReady as exc:
        raise click.ClickException(str(exc)) from None
    return MatchEngine(obj.database, obj.settings)


def _result_json(result: MatchResult) -> dict[str, Any]:
    return {
        "tax_code": result.tax_code,
        "name": result.name,
        "kind": result.kind,
        "score": result.score,
        "channels": result.channels,
        "flags": result.flags,
        "explanation": result.explanation.to_dict(),
    }


def _print_results(results: list[MatchResult]) -> None:
    if not results:
        click.echo("Nessun candidato trovato con questi criteri.")
        return
    for rank, r in enumerate(results, start=1):
        flags = f"  [{', '.join(r.flags)}]" if r.flags else ""
        click.echo(f"{rank:>2}. {r.score:.3f}  {r.name} ({r.kind}, {r.tax_code}){flags}")
        click.echo(f"      {r.explanation.text}")


@click.command("match")
@click.option("--text", "text", default="", help="The need, in Italian.")
@click.option("--for", "for_tax_code", help="Tax code of the organisation asking.")
@click.option("--district", "districts", multiple=True, help="District code (repeatable).")
@click.option("--kind", "kinds", multiple=True, help="Kind to suggest (repeatable; default ets).")
@click.option("--top", "top_k", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--territory",
    type=click.Choice(["soft", "hard", "off"]),
    default="soft",
    show_default=True,
    help="Territory as a score, a filter, or ignored.",
)
@click.option("--radius-km", type=click.FloatRange(min=0, min_open=True), help="Hard radius.")
@click.option("--theme", "themes", multiple=True, help="Theme code of the need (repeatable).")
@click.option("--exclude", "exclude_tax_codes", multiple=True, help="Tax code never to suggest.")
@click.option("--call-round", type=int, help="Call round, for capacity flags.")
@click.option("--measure", type=int, help="Measure, for capacity flags.")
@click.option("--exclude-at-capacity", is_flag=True, help="Drop candidates at capacity.")
@click.option("--prefer-newcomers", is_flag=True, help="Reward organisations with no ATS yet.")
@click.option(
    "--queries",
    "queries_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL file of queries (batch mode): one result line per query.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def match_command(obj: Any, queries_file: Path | None, as_json: bool, **options: Any) -> None:
    """Suggest partners for a need described in Italian, with explanations."""
    engine = _engine(obj)
    options["kinds"] = options["kinds"] or ("ets",)
    if queries_file is None:
        if not options["text"] and not options["for_tax_code"] and not options["themes"]:
            raise click.UsageError("indicare --text, --for, --theme oppure --queries")
        try:
            results = engine.search(MatchQuery(**options))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        if as_json:
            click.echo(json.dumps([_result_json(r) for r in results], ensure_ascii=False, indent=2))
        else:
            _print_results(results)
        return
    with queries_file.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                query = MatchQuery(
                    **{
                        **options,
                        "text": item.get("text", ""),
                        "districts": tuple(_list(item.get("district"))) or options["districts"],
                        "kinds": tuple(_list(item.get("kind"))) or options["kinds"],
                    }
                )
                results = engine.search(query)
            except (ValueError, TypeError) as exc:
                raise click.ClickException(f"{queries_file}, riga {number}: {exc}") from None
            payload = {"id": item.get("id", number), "results": [_result_json(r) for r in results]}
            if as_json:
                click.echo(json.dumps(payload, ensure_ascii=False))
            else:
                click.echo(f"== {payload['id']}: {item.get('text', '')}")
                _print_results(results)


def _list(value: Any) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


@click.command("eval")
@click.option(
    "--catalog", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--queries", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--weights", default=None, help='Fusion weights, e.g. "territory=1,sentence=0".')
@click.option("--json", "as_json", is_flag=True, help="Print the full JSON report.")
@click.pass_obj
def eval_command(
    obj: Any, catalog: Path, queries: Path, weights: str | None, as_json: bool
) -> None:
    """Evaluate matching on a gold set loaded into a temporary database (ablation table)."""
    from matchmaker.ingest import ImportValidationError
    from matchmaker.matching.evaluation import evaluate

    try:
        report = evaluate(catalog, queries, settings=obj.settings, weights=weights)
    except ImportValidationError as exc:
        raise click.ClickException(f"catalogo non valido: {exc}") from None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(f"Encoder: {report['encoder'] or 'nessuno'}; pesi: {report['weights']}")
    click.echo(f"{'ranking':<22}{'nDCG@10':>9}{'MRR@10':>9}{'R@10':>9}")
    for name, m in {**report["channels"], **report["ablation"]}.items():
        label = name if name in ("fused", *CHANNELS) else name.replace("fused-", "fused senza ")
        click.echo(f"{label:<22}{m['ndcg@10']:>9.4f}{m['mrr@10']:>9.4f}{m['recall@10']:>9.4f}")
    worst = sorted(report["queries"], key=lambda q: q["ndcg@10"])[:5]
    click.echo(
        "Query peggiori (fused): " + ", ".join(f"{q['id']} {q['ndcg@10']:.3f}" for q in worst)
    )


@click.group("index")
def index_group() -> None:
    """The matching index (profile vectors)."""


@index_group.command("rebuild")
@click.option("--force", is_flag=True, help="Re-embed every profile, even if current.")
@click.pass_obj
def rebuild_command(obj: Any, force: bool) -> None:
    """Embed the profiles that need it and rebuild the in-memory index."""
    from tqdm import tqdm

    engine = _engine(obj)
    total = engine.count_profiles()
    with tqdm(total=total, unit="profili", file=sys.stderr, disable=None) as bar:
        index = engine.rebuild(force=force, progress=bar.update)
    name = engine.encoder.name if engine.encoder is not None else "nessun encoder"
    click.echo(f"Indice ricostruito: {index.size} profili ({name}).")


#: commands this module adds to ``matchmaker``
MATCHING_COMMANDS = (match_command, eval_command, index_group)
