"""``matchmaker ats``: check compositions, propose teams, list rules, move ATS through phases.

Exit codes of ``ats check``: 0 admissible, 1 not admissible, 2 bad input (malformed JSON,
a missing or wrong field, an unknown district or organisation).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from matchmaker.domain import DomainError, PartnershipStatus
from matchmaker.rules.catalogue import default_catalogue
from matchmaker.rules.lifecycle import TransitionRefused
from matchmaker.rules.model import CheckResult
from matchmaker.rules.service import AtsService
from matchmaker.rules.team import ProposalImpossible

__all__ = ["ats"]

_SEVERITY_IT = {"error": "ERRORE", "warning": "AVVISO"}


def _service(no_model: bool) -> AtsService:
    obj = click.get_current_context().find_root().obj
    return AtsService(
        obj.database,
        candidates="lexical" if no_model else None,
        settings=getattr(obj, "settings", None),
    )


def _bad_input(exc: Exception) -> None:
    field = getattr(exc, "field", None)
    where = f" [campo: {field}]" if field else ""
    click.echo(f"Input non valido{where}: {exc}", err=True)
    raise SystemExit(2)


def _echo(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _print_result(result: CheckResult) -> None:
    comp = result.composition
    verdict = "AMMISSIBILE" if result.admissible else "NON AMMISSIBILE"
    click.echo(
        f"Misura {comp.measure}, round {comp.call_round}, distretti: "
        f"{', '.join(comp.districts) or '-'}; {len(comp.members)} membri: {verdict}"
    )
    if not result.complete:
        click.echo("Attenzione: regole incomplete (testo del bando non disponibile).")
    if not result.findings:
        click.echo(f"Nessun rilievo ({len(result.rules_checked)} regole verificate).")
    for f in result.findings:
        click.echo(f"\n[{_SEVERITY_IT[f.severity]}] {f.rule_id}: {f.message_it}")
        click.echo(f"  Bando: «{f.paragraph}»")
        for fix in f.fixes:
            click.echo(f"  -> {fix.message_it}")


@click.group("ats")
def ats() -> None:
    """ATS builder: check compositions against the call's rules, propose teams."""


@ats.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--need", default="", help="Need text used to rank candidates in the fixes.")
@click.option("--no-fixes", is_flag=True, help="Only findings, no fix proposals.")
@click.option("--no-model", is_flag=True, help="Rank candidates without the embedding model.")
def check_cmd(file: Path, as_json: bool, need: str, no_fixes: bool, no_model: bool) -> None:
    """Check the ATS composition in FILE.json; exit 0 admissible, 1 not, 2 bad input."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        _bad_input(DomainError(f"{file.name} non è un JSON valido: {exc}", field="(file)"))
    try:
        result = _service(no_model).check(data, fixes=not no_fixes, need=need)
    except DomainError as exc:
        _bad_input(exc)
    if as_json:
        _echo(result.as_dict())
    else:
        _print_result(result)
    raise SystemExit(0 if result.admissible else 1)


@ats.command("propose")
@click.option("--for", "for_tax_code", help="Tax code of the lead Ente Gestore (capofila).")
@click.option("--district", help="District code (instead of --for): its first Ente Gestore leads.")
@click.option("--text", required=True, help="The need, in Italian.")
@click.option("--size", default=3, show_default=True, type=int, help="Number of ETS (k).")
@click.option("--round", "call_round", type=int, help="Call round (default: a new round).")
@click.option("--alternatives", default=3, show_default=True, type=int, help="At most 3.")
@click.option("--json", "as_json", is_flag=True, help="Print the proposals as JSON.")
@click.option("--no-model", is_flag=True, help="Rank candidates without the embedding model.")
def propose_cmd(
    for_tax_code: str | None,
    district: str | None,
    text: str,
    size: int,
    call_round: int | None,
    alternatives: int,
    as_json: bool,
    no_model: bool,
) -> None:
    """Propose complete admissible ATS for an Ente Gestore and a need."""
    if not for_tax_code and not district:
        _bad_input(DomainError("indicare --for TAX_CODE oppure --district CODE", field="--for"))
    try:
        proposals = _service(no_model).propose(
            text,
            for_tax_code=for_tax_code,
            district=district,
            size=size,
            call_round=call_round,
            alternatives=alternatives,
        )
    except ProposalImpossible as exc:
        click.echo(f"Nessuna proposta possibile: {exc}", err=True)
        raise SystemExit(1) from None
    except DomainError as exc:
        _bad_input(exc)
    if as_json:
        _echo([p.as_dict() for p in proposals])
        return
    for i, p in enumerate(proposals, 1):
        click.echo(f"\nProposta {i} — {p.label_it}")
        click.echo(f"  {p.explanation_it}")
        for m in p.members:
            click.echo(f"  - [{m.role}] {m.name} ({m.tax_code}): {m.reason_it}")


@ats.command("rules")
@click.option("--measure", type=int, help="Only the rules of this measure.")
@click.option("--json", "as_json", is_flag=True, help="Print the rules as JSON.")
def rules_cmd(measure: int | None, as_json: bool) -> None:
    """List the rules of the call, with their source paragraph."""
    cat = default_catalogue()
    rules = cat.for_measure(measure) if measure else cat.rules
    if as_json:
        _echo([r.as_dict() for r in rules])
        return
    for r in rules:
        note = "" if r.complete else " (incompleta: bando non disponibile)"
        click.echo(f"{r.id} [{r.severity}]{note}: {r.text_it}")


@ats.command("status")
@click.argument("partnership")
@click.argument("to_status", type=click.Choice([s.value for s in PartnershipStatus]))
@click.option("--actor", required=True, help="Who makes the change.")
@click.option("--note", default="", help="Free note (e.g. the act of admission).")
def status_cmd(partnership: str, to_status: str, actor: str, note: str) -> None:
    """Move ATS PARTNERSHIP (id or code) to TO_STATUS, re-checking its rules."""
    try:
        change = _service(True).transition(partnership, to_status, actor=actor, note=note)
    except TransitionRefused as exc:
        click.echo(f"Rifiutato: {exc}", err=True)
        raise SystemExit(1) from None
    except DomainError as exc:
        _bad_input(exc)
    click.echo(
        f"{partnership}: {change.from_status.value} -> {change.to_status.value} "
        f"({change.at:%Y-%m-%d %H:%M}, {change.actor})"
    )


@ats.command("history")
@click.argument("partnership")
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON.")
def history_cmd(partnership: str, as_json: bool) -> None:
    """Show the dated status changes of ATS PARTNERSHIP (id or code)."""
    try:
        rows = _service(True).history(partnership)
    except DomainError as exc:
        _bad_input(exc)
    data = [
        {
            "from": r.from_status.value,
            "to": r.to_status.value,
            "at": r.at.isoformat(),
            "actor": r.actor,
            "note": r.note,
            "check": r.check_summary,
        }
        for r in rows
    ]
    if as_json:
        _echo(data)
        return
    if not data:
        click.echo("Nessun cambio di stato registrato.")
    for d in data:
        click.echo(f"{d['at']}  {d['from']} -> {d['to']}  ({d['actor']}) {d['note']}")
