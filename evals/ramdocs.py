"""RAMDocs (Wang et al., 2025, arXiv:2504.13079): 500 questions, each with documents that
answer it, documents with misinformation, and noise. Here every document of every question
is pooled into one corpus (one file per passage) and each question is asked of the whole
pool, as a user of this system would ask it.

Exact match, as the benchmark defines it: an answer is correct when it contains every gold
answer and none of the wrong ones (after lower-casing and removing punctuation and
articles). Reported beside it: the share of answers that flag a conflict, refusals, and
errors (which must be zero).
"""

from __future__ import annotations

import json
import re
import string
import time
from collections.abc import Callable
from pathlib import Path

from core.config import Settings

# The paper's strongest baseline on RAMDocs (its abstract): Llama3.3-70B-Instruct.
PUBLISHED = {"Llama3.3-70B-Instruct, best RAG baseline (Wang et al., 2025)": 32.60}


def data_file(settings: Settings) -> Path:
    return Path(settings.shared_dir) / "benchmarks" / "ramdocs" / "RAMDocs_test.jsonl"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write_pool(items: list[dict], folder: Path) -> int:
    """One file per passage (q003_d1.txt); files already there and unchanged are kept."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {}
    for qi, item in enumerate(items):
        for di, doc in enumerate(item["documents"]):
            wanted[f"q{qi:03d}_d{di}.txt"] = doc["text"]
    for path in folder.iterdir():
        if path.name not in wanted:
            path.unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return len(wanted)


_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize(text: str) -> str:
    text = text.lower().translate(str.maketrans("", "", string.punctuation))
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(answer: str, gold: list[str], wrong: list[str]) -> bool:
    """Every gold answer in the answer, and no wrong one."""
    got = normalize(answer)
    return all(normalize(g) in got for g in gold) and not any(
        normalize(w) and normalize(w) in got for w in wrong
    )


def run(items: list[dict], ask: Callable, on_item: Callable | None = None, **options) -> dict:
    """Ask every question of the pooled corpus and score the answers."""
    rows, errors = [], []
    for i, item in enumerate(items):
        t = time.perf_counter()
        try:
            answer = ask(item["question"], **options)
        except Exception as e:  # a benchmark run reports every failure and goes on
            errors.append({"question": item["question"], "error": f"{type(e).__name__}: {e}"})
            continue
        rows.append(
            {
                "question": item["question"],
                "answer": answer.answer,
                "em": exact_match(answer.answer, item["gold_answers"], item["wrong_answers"]),
                "gold_in_answer": all(
                    normalize(g) in normalize(answer.answer) for g in item["gold_answers"]
                ),
                "conflict": bool(answer.conflicts),
                "refused": answer.refused,
                "seconds": time.perf_counter() - t,
            }
        )
        if on_item is not None:
            on_item(i)
    n = len(items)
    return {
        "questions": n,
        "exact_match": 100.0 * sum(r["em"] for r in rows) / n,
        "all_gold_present": 100.0 * sum(r["gold_in_answer"] for r in rows) / n,
        "flags_conflict": 100.0 * sum(r["conflict"] for r in rows) / n,
        "refused": sum(r["refused"] for r in rows),
        "errors": errors,
        "published": PUBLISHED,
        "rows": rows,
    }


def table(result: dict) -> str:
    lines = [
        "| RAMDocs (500 questions, pooled documents) | exact match |",
        "|---|---:|",
        f"| this system, extractive | {result['exact_match']:.2f} |",
    ]
    for name, score in result["published"].items():
        lines.append(f"| {name} | {score:.2f} |")
    lines += [
        "",
        f"every gold answer present: {result['all_gold_present']:.1f}%; answers that flag a "
        f"conflict: {result['flags_conflict']:.1f}%; refused: {result['refused']}; errors: "
        f"{len(result['errors'])}",
    ]
    return "\n".join(lines)
