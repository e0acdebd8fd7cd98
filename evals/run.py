"""Run question/answer pairs through an ask function and score every answer."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from evals.cases import QA_FILE, Case, load_cases
from evals.metrics import Scored, by_split, overall, score

__all__ = ["Case", "QA_FILE", "Scored", "evaluate", "load_cases", "run"]


def document_texts(**options) -> Callable[[str], str | None]:
    """doc_id -> the text quotes are cut from: a text file's own text, read again from the
    file; for a web page or a PDF, the text the index keeps (rag.get_document): the article
    extracted when it was indexed, which a newer extractor may read otherwise."""
    import rag
    from core.config import load_settings
    from index.corpus import TEXT_SUFFIXES, extract_text

    corpus = Path(load_settings(**options).corpus_dir)
    files = {d["doc_id"]: corpus / d["file"] for d in rag.list_documents(**options)}

    @cache
    def text(doc_id: str) -> str | None:
        path = files.get(doc_id)
        if path is None or not path.exists():
            return None
        if path.suffix.lower() not in TEXT_SUFFIXES:
            return rag.get_document(doc_id, **options)["text"]
        return extract_text(path, path.read_bytes())[0]

    return text


def _embedder(**options):
    from core.config import load_settings
    from index.embedding import get_embedder

    return get_embedder(load_settings(**options).embed_model).encode


def run(
    ask: Callable,
    cases: list[Case] | None = None,
    *,
    texts: Callable[[str], str | None] | None = None,
    embed=None,
    progress: str | None = None,
    **options,
) -> list[Scored]:
    """Ask every case (with its history) and score the answers.

    Args:
        ask: ``rag.ask`` or any function with its signature.
        cases: the pairs; defaults to evals/qa.yaml.
        texts: doc_id -> document text, for quote fidelity; defaults to the corpus's files.
        embed: texts -> unit vectors, for the support check; defaults to the index's model.
        progress: a label to show a progress bar with, or None for none.
        **options: passed to ask (index_dir, generator, ...).
    """
    cases = cases if cases is not None else load_cases()
    texts = texts or document_texts(**_settings_only(options))
    embed = embed or _embedder(**_settings_only(options))
    bar = None
    if progress is not None:
        from tqdm import tqdm

        bar = tqdm(total=len(cases), desc=progress, unit="q", file=sys.stderr, leave=False)
    results = []
    for case in cases:
        t = time.perf_counter()
        answer = ask(case.question, list(case.history), **options).to_dict()
        s = score(case, answer, texts, embed)
        s.seconds = time.perf_counter() - t
        results.append(s)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return results


def _settings_only(options: dict) -> dict:
    from dataclasses import fields

    from core.config import Settings

    names = {f.name for f in fields(Settings)}
    return {k: v for k, v in options.items() if k in names}


def _commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def as_json(s: Scored) -> dict:
    return {
        "id": s.case.id,
        "category": s.case.category,
        "question": s.case.question,
        "history": list(s.case.history),
        "passed": s.passed,
        "failures": s.failures,
        "outcome": s.outcome,
        "metrics": s.metrics,
        "support": s.support,
        "seconds": round(s.seconds, 4),
        "answer": s.answer,
    }


def evaluate(
    cases: list[Case],
    generators: list[str],
    *,
    ask: Callable | None = None,
    cases_name: str = str(QA_FILE),
    progress: bool = True,
    **options,
) -> dict:
    """Every case through every generator: the results document a report is made from."""
    import rag

    ask = ask or rag.ask
    started = time.time()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
    out: dict = {
        "run": {
            "id": stamp,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
            "commit": _commit(),
            "cases": cases_name,
            "questions": len(cases),
            "generators": generators,
        },
        "generators": {},
    }
    texts = document_texts(**_settings_only(options))
    embed = _embedder(**_settings_only(options))
    rag.warm_up(**_settings_only(options))  # model loading is not a question's latency
    for name in generators:
        scored = run(
            ask,
            cases,
            texts=texts,
            embed=embed,
            progress=name if progress else None,
            generator=name,
            **options,
        )
        out["generators"][name] = {
            "overall": overall(scored),
            "splits": by_split(scored),
            "questions": [as_json(s) for s in scored],
        }
    out["run"]["seconds"] = time.time() - started
    return out
