"""The semantic channel: cosine of the need with the whole profile (name + description)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from matchmaker.matching.channels.base import Run, Scored, Standardised

__all__ = ["Semantic"]

# the dense product runs on a worker thread (BLAS releases the GIL) while the search thread
# walks the lexical posting lists
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="matching-dense")


class Semantic(Standardised):
    """Cosine with the whole-profile vector, standardised over the candidates."""

    name = "semantic"
    label = "significato del profilo"
    default_weight = 1.0
    requires = frozenset({"encoder"})

    def applies(self, run: Run) -> bool:
        return run.vectors.dense is not None

    def scores(self, run: Run) -> Scored | None:
        if not self.applies(run):
            return None
        return Scored(_WORKER.submit(run.index.semantic, run.vectors.dense))
