"""python -m evals.bench: latency of a warm rag.ask, of an unchanged re-index, and the speed
of each configured LLM generator (time to first token, tokens per second).

Prints medians; it asserts nothing (speed goals are read, not tested).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import rag
from core.config import load_settings
from evals.run import load_cases
from index.build import build_index


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms"


def main(rounds: int = 5) -> None:
    settings = load_settings()
    t = time.perf_counter()
    build_index(settings, progress=False)
    first_build = time.perf_counter() - t
    rebuilds = []
    for _ in range(3):
        t = time.perf_counter()
        build_index(settings, progress=False)
        rebuilds.append(time.perf_counter() - t)

    questions = [c for c in load_cases()]
    t = time.perf_counter()
    rag.ask(questions[0].question, history=list(questions[0].history))
    cold = time.perf_counter() - t
    totals, stages = [], {}
    for _ in range(rounds):
        for case in questions:
            t = time.perf_counter()
            answer = rag.ask(case.question, history=list(case.history))
            totals.append(time.perf_counter() - t)
            for stage, ms in answer.timings_ms.items():
                stages.setdefault(stage, []).append(ms / 1000)
    totals.sort()
    p95 = totals[int(0.95 * (len(totals) - 1))]
    print(f"index build (first call in this process): {first_build:.2f} s")
    print(f"re-index of an unchanged corpus: median {_median_ms(rebuilds)}")
    print(f"first ask (loads the embedder): {cold * 1000:.0f} ms")
    print(
        f"warm ask, extractive, {len(totals)} calls over {len(questions)} questions: "
        f"median {_median_ms(totals)}, p95 {p95 * 1000:.1f} ms"
    )
    for stage, samples in stages.items():
        print(f"  stage {stage}: median {_median_ms(samples)}")
    for name in rag.available_generators():
        if name != "extractive":
            bench_generator(name, questions[:12])


def bench_generator(name: str, cases) -> None:
    """Time to first token, tokens per second and whole-answer latency of an LLM generator."""
    rag.ask(cases[0].question, generator=name)  # loads the model
    first, speed, totals, grounded, fallbacks = [], [], [], [], 0
    for case in cases:
        answer = rag.ask(case.question, history=list(case.history), generator=name)
        if answer.generation is None:
            continue  # refused before any generation
        t = answer.timings_ms
        if "first_token" in t:
            first.append(t["first_token"] / 1000)
        if answer.generation.get("tokens_per_second"):
            speed.append(answer.generation["tokens_per_second"])
        totals.append(t["total"] / 1000)
        grounded.append(answer.groundedness or 0.0)
        fallbacks += bool(answer.fallback)
    if not totals:
        print(f"{name}: no answer was generated")
        return
    model = answer.generation["model"] if answer.generation else name
    print(
        f"{name} ({model}), {len(totals)} questions: time to first token median "
        f"{_median_ms(first) if first else 'n/a'}, "
        f"{statistics.median(speed) if speed else 0:.1f} tokens/s median, "
        f"whole answer median {_median_ms(totals)}; groundedness mean "
        f"{sum(grounded) / len(grounded):.2f}, {fallbacks} fell back to extractive"
    )


def _store_neighbours(col, vectors, refs, per_doc: int):
    """index.duplicates.find_pairs's look-up over a Chroma collection of numbered vectors."""
    from index.duplicates import NEIGHBOURS

    def neighbours(part):
        out = []
        for lo in range(0, len(part), 500):
            idx = [int(d[1:]) * per_doc + i for d, i in part[lo : lo + 500]]
            res = col.query(
                query_embeddings=vectors[idx], n_results=NEIGHBOURS, include=["distances"]
            )
            for ids, dists in zip(res["ids"], res["distances"], strict=True):
                out.append([(refs[int(i)], 1.0 - d) for i, d in zip(ids, dists, strict=True)])
        return out

    return neighbours


def bench_duplicates(sizes=(5_000, 20_000, 40_000), per_doc: int = 20) -> None:
    """Cost of finding near-duplicate sentences per sentence as the store grows: each
    sentence is compared with its nearest stored neighbours (index.duplicates), so the time
    per sentence should stay flat. Synthetic unit vectors, 1% of them copied into another
    document; Chroma in a temporary folder."""
    import tempfile

    import chromadb
    import numpy as np

    from index.duplicates import find_pairs

    rng = np.random.default_rng(0)
    for n in sizes:
        vectors = rng.normal(size=(n, 384)).astype(np.float32)
        copies = rng.choice(n // 2, size=n // 100, replace=False)
        vectors[n // 2 + copies] = vectors[copies] + 0.01 * rng.normal(size=(len(copies), 384))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        refs = [(f"d{i // per_doc}", i % per_doc) for i in range(n)]
        words = {r: {f"w{i}-{k}" for k in range(8)} for i, r in enumerate(refs)}
        for c in copies.tolist():
            words[refs[n // 2 + c]] = words[refs[c]]
        with tempfile.TemporaryDirectory() as tmp:
            col = chromadb.PersistentClient(path=tmp).create_collection(
                "sentences", metadata={"hnsw:space": "cosine"}
            )
            t = time.perf_counter()
            for lo in range(0, n, 1000):
                col.add(
                    ids=[str(i) for i in range(lo, min(n, lo + 1000))],
                    embeddings=vectors[lo : lo + 1000],
                )
            stored = time.perf_counter() - t

            neighbours = _store_neighbours(col, vectors, refs, per_doc)

            t = time.perf_counter()
            pairs = find_pairs(refs, neighbours, words.__getitem__, lambda r: [])
            found = time.perf_counter() - t
        print(
            f"near-duplicates over {n:,} sentences: storing {stored / n * 1000:.2f} ms and "
            f"finding {found / n * 1000:.2f} ms per sentence; {len(pairs)} of "
            f"{len(copies)} copies found"
        )


def bench_add_one(rounds: int = 3) -> None:
    """Adding one article to a copy of the whole-BBC index (built by ``make eval``): the
    seconds a build takes beyond loading the model, and how many corpus files it read."""
    import shutil
    import tempfile

    import index.build as build_mod
    from evals.suites import get_suite
    from index.embedding import get_embedder

    settings = load_settings()
    suite = get_suite("bbc", settings)  # the corpus as the index was built: with its sidecar
    source, built = suite.corpus, suite.index
    if settings.chroma_host:
        print("adding one article: skipped (a Chroma server is configured; the copy is local)")
        return
    if not (source.is_dir() and (built / "manifest.json").exists()):
        print("adding one article: skipped (no whole-BBC index; `make eval` builds it)")
        return
    get_embedder(settings.embed_model)  # the model is loaded before the clock starts
    read, real = [], build_mod.read_document

    def reading(path, *a, **k):
        read.append(path.name)
        return real(path, *a, **k)

    build_mod.read_document = reading
    samples = []
    try:
        for n in range(rounds):
            with tempfile.TemporaryDirectory() as tmp:
                corpus, index_dir = Path(tmp) / "corpus", Path(tmp) / "index"
                corpus.mkdir()
                for f in source.iterdir():
                    (corpus / f.name).symlink_to(f.resolve())
                shutil.copytree(built, index_dir)
                run = settings.with_options(corpus_dir=corpus, index_dir=index_dir)
                build_index(run, progress=False)  # as the copy was left: nothing to do
                (corpus / f"added_{n}.txt").write_text(
                    f"Harbour works\nThe harbour at Varnholm will be dredged in spring {2031 + n}, "
                    "the port authority said on Monday.\nShips of up to 9,000 tonnes will then "
                    "be able to dock there.\n",
                    encoding="utf-8",
                )
                read.clear()
                t = time.perf_counter()
                report = build_index(run, progress=False)
                samples.append(time.perf_counter() - t)
                assert report.added == [f"added_{n}"], report.summary()
    finally:
        build_mod.read_document = real
    print(
        f"adding one article to the {report.files - 1:,}-article BBC index: median "
        f"{statistics.median(samples):.2f} s over {rounds} runs (model loaded); "
        f"corpus files read: {len(read)}"
    )


def bench_build_scale(sizes: tuple[int | None, ...] = (250, None), seed: int = 7) -> None:
    """Building an index of a random sample of BBC articles (None: all of them) into a new
    folder: seconds per article and per sentence, where the time goes, and the build's time
    over one pass of the embedder over the same text (its chunks, each word-piece once),
    timed in the same run."""
    import random
    import tempfile

    from evals.suites import bbc_dir
    from index.embedding import get_embedder
    from index.store import read_doc, read_manifest

    settings = load_settings()
    source = bbc_dir(settings)
    if settings.chroma_host:
        print("build scale: skipped (a Chroma server is configured; the build is local)")
        return
    if not source.is_dir():
        print(f"build scale: skipped (no BBC corpus at {source})")
        return
    files = sorted(p for p in source.iterdir() if p.suffix == ".txt")
    embedder = get_embedder(settings.embed_model)  # loaded before the clock starts
    for size in sizes:
        chosen = files if size is None else random.Random(seed).sample(files, size)
        with tempfile.TemporaryDirectory() as tmp:
            corpus, index_dir = Path(tmp) / "corpus", Path(tmp) / "index"
            corpus.mkdir()
            for f in chosen:
                (corpus / f.name).symlink_to(f)
            run = settings.with_options(corpus_dir=corpus, index_dir=index_dir)
            report = build_index(run, progress=False)
            texts = [
                rec.chunk_text(i)
                for entry in read_manifest(index_dir)["docs"].values()
                for rec in [read_doc(index_dir, entry["key"])]
                for i in range(len(rec.chunks))
            ]
            t = time.perf_counter()
            embedder.encode(texts)
            one_pass = time.perf_counter() - t
        print(
            f"building {report.files:,} articles ({report.sentences:,} sentences): "
            f"{report.seconds:.0f} s, {report.seconds / report.files:.3f} s an article, "
            f"{report.seconds / report.sentences * 1000:.1f} ms a sentence; one embedder pass "
            f"over the same text {one_pass:.0f} s (the build takes {report.seconds / one_pass:.2f}x)"
        )
        print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in report.stages.items()))


if __name__ == "__main__":
    import sys

    main()
    bench_duplicates()
    bench_add_one()
    bench_build_scale((250,) if "--quick" in sys.argv else (250, None))
