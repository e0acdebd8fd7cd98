"""python -m evals.scale: answering over a synthetic corpus of 100,000 articles.

The articles are made from the records of a built index (the whole-BBC one when ``make
eval`` has built it, else the seed index): each is three runs of consecutive sentences
from three random source articles, with their entities, speakers and sentence vectors
(nothing is embedded, so it is made in minutes), an outlet of 20 and a date over two
years. Chunks of at most CHUNK_WORDS words take the mean of their sentences' vectors. The
index is written as a build writes it (records, manifest, keyword index, Chroma chunk
collection, always in the embedded Chroma under that folder, never a configured Chroma
server) under ``.bench/`` and kept for the next run made from the same source.

Then a fresh process opens it as the app does, asks the case file's questions (a fifth of
them with an outlet or date filter) and prints the median, 95th percentile and maximum of
a warm answer and the process's peak memory. It asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from core.config import load_settings
from evals.suites import ROOT
from index import store
from index.keyword import KeywordIndex

CHUNK_WORDS = 150
OUTLETS = [f"Outlet {i:02d}" for i in range(20)]
FIRST_DAY = date(2024, 1, 1)
DAYS = 730
LOCAL = {"chroma_host": ""}  # the synthetic chunks never go to a configured Chroma server


def _sources(index_dir: Path) -> list[store.DocRecord]:
    manifest = store.read_manifest(index_dir)
    if manifest is None:
        raise SystemExit(f"no built index at {index_dir}")
    recs = [store.read_doc(index_dir, e["key"]) for e in manifest["docs"].values()]
    return [r for r in recs if len(r.sentences) >= 3]


def _article(n: int, rng: random.Random, sources: list[store.DocRecord]) -> store.DocRecord:
    """Three runs of sentences from three source articles, as one record."""
    text, sentences, speakers, entities, vectors = "", [], [], [], []
    paragraph = 0
    for src in rng.sample(sources, 3):
        size = rng.randint(5, 9)
        first = rng.randrange(0, max(1, len(src.sentences) - size))
        last = min(len(src.sentences), first + size)
        if text:
            text += "\n\n"
        base_para = src.sentences[first][2]
        for i in range(first, last):
            start, end, para = src.sentences[i]
            if i > first and start > src.sentences[i - 1][1]:
                text += src.text[src.sentences[i - 1][1] : start]  # the source's own gap
            shift = len(text) - start
            text += src.text[start:end]
            sentences.append((start + shift, end + shift, paragraph + para - base_para))
            speakers.append(src.speakers[i] if src.speakers else None)
            entities.append(
                [[label, a + shift, b + shift, head] for label, a, b, head in src.entities[i]]
                if src.entities
                else []
            )
            vectors.append(src.vectors[i])
        paragraph = sentences[-1][2] + 1
    chunks, first, words = [], 0, 0
    for i, (start, end, _) in enumerate(sentences):
        w = len(text[start:end].split())
        if i > first and words + w > CHUNK_WORDS:
            chunks.append((first, i - 1))
            first, words = i, 0
        words += w
    chunks.append((first, len(sentences) - 1))
    vectors = np.asarray(vectors, np.float32)
    chunk_vectors = np.asarray([vectors[a : b + 1].mean(axis=0) for a, b in chunks], np.float32)
    chunk_vectors /= np.linalg.norm(chunk_vectors, axis=1, keepdims=True)
    doc_id = f"synthetic_{n:06d}"
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    meta = {
        "title": text.split("\n", 1)[0][:120],
        "outlet": rng.choice(OUTLETS),
        "author": "unknown",
        "date": day.isoformat(),
    }
    return store.DocRecord(
        doc_id=doc_id,
        key=store.doc_key(doc_id, sha),
        file=f"{doc_id}.txt",
        sha256=sha,
        meta=meta,
        text=text,
        sentences=sentences,
        chunks=chunks,
        speakers=speakers,
        entities=entities,
        vectors=vectors,
        chunk_vectors=chunk_vectors,
    )


def _write(index_dir: Path, rec: store.DocRecord) -> None:
    """A record as index.store writes it, without syncing each file (a benchmark's data)."""
    docs = index_dir / "docs"
    np.save(docs / f"{rec.key}.npy", rec.vectors)
    data = {k: getattr(rec, k) for k in ("doc_id", "key", "file", "sha256", "meta", "text")}
    data.update(
        sentences=rec.sentences,
        chunks=rec.chunks,
        dropped=[],
        speakers=rec.speakers,
        entities=rec.entities,
    )
    (docs / f"{rec.key}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def make_corpus(index_dir: Path, articles: int, source_dir: Path, seed: int = 11) -> dict:
    """Write the synthetic index (unless one of this size is there); its figures."""
    manifest = store.read_manifest(index_dir)
    source = str(source_dir.resolve())
    if manifest is not None and manifest["config"].get("source") == source:
        return manifest["stats"]
    settings = load_settings(index_dir=index_dir, **LOCAL)
    sources = _sources(source_dir)
    rng = random.Random(seed)
    shutil.rmtree(index_dir, ignore_errors=True)  # an unfinished or other-sized one
    (index_dir / "docs").mkdir(parents=True)
    collection = store.chunk_collection(store.open_client(settings), settings)
    entries, chunk_rows, pending = {}, [], ([], [], [])
    n_sentences = 0
    t0 = time.perf_counter()

    def flush():
        ids, vectors, metadatas = pending
        if ids:
            collection.add(ids=ids, embeddings=np.asarray(vectors), metadatas=metadatas)
            for part in pending:
                part.clear()

    for n in range(articles):
        rec = _article(n, rng, sources)
        _write(index_dir, rec)
        n_sentences += len(rec.sentences)
        entries[rec.doc_id] = store.manifest_entry(rec)
        for i in range(len(rec.chunks)):
            cid = f"{rec.key}#{i}"
            chunk_rows.append((cid, rec.chunk_text(i)))
            pending[0].append(cid)
            pending[1].append(rec.chunk_vectors[i])
            pending[2].append(store.chunk_metadata(rec, i))
        if len(pending[0]) >= 5000:
            flush()
        if (n + 1) % 10000 == 0:
            print(f"  {n + 1:,} articles written, {time.perf_counter() - t0:.0f} s", flush=True)
    flush()
    build_id = "synthetic"
    KeywordIndex.build(chunk_rows).save(index_dir / f"bm25-{build_id}")
    (index_dir / f"dups-{build_id}.json").write_text(
        json.dumps({"sentence_groups": [], "stories": []}), encoding="utf-8"
    )
    stats = {"chunks": len(chunk_rows), "sentences": n_sentences}
    manifest = {
        "format": store.FORMAT,
        "build": build_id,
        "config": {"source": source},
        "duplicates": [],
        "docs": entries,
        "bm25": f"bm25-{build_id}",
        "dups": f"dups-{build_id}.json",
        "stats": stats,
        "skipped": {},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    store.write_json_atomic(index_dir / store.MANIFEST, manifest)
    print(f"  made in {time.perf_counter() - t0:.0f} s", flush=True)
    return stats


def serve(index_dir: Path, cases: Path, rounds: int) -> dict:
    """In this process: open the index as the app does and answer the questions."""
    import rag
    from evals.cases import load_cases

    options = {"index_dir": str(index_dir), **LOCAL}
    t = time.perf_counter()
    rag.warm_up(**options)
    rag.ask("What happened?", **options)
    opened = time.perf_counter() - t
    questions = [c.question for c in load_cases(cases)]
    rng = random.Random(3)
    times, refused, stages = [], 0, {}
    for _ in range(rounds):
        for i, q in enumerate(questions):
            extra = {}
            if i % 10 == 3:
                extra = {"outlets": [rng.choice(OUTLETS)]}
            elif i % 10 == 7:
                start = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 90))
                extra = {
                    "since": start.isoformat(),
                    "until": (start + timedelta(days=90)).isoformat(),
                }
            t = time.perf_counter()
            answer = rag.ask(q, **options, **extra)
            times.append(time.perf_counter() - t)
            refused += answer.refused
            for stage, ms in answer.timings_ms.items():
                stages.setdefault(stage, []).append(ms)
    times.sort()
    return {
        "opened_s": opened,
        "asked": len(times),
        "refused": refused,
        "p50_ms": 1000 * times[len(times) // 2],
        "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))],
        "max_ms": 1000 * times[-1],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "stages_p95_ms": {k: sorted(v)[int(0.95 * (len(v) - 1))] for k, v in stages.items()},
    }


def bench_scale(articles: int = 100_000, rounds: int = 1) -> None:
    settings = load_settings()
    bbc = ROOT / ".index-bbc" / "index"
    source = bbc if (bbc / store.MANIFEST).exists() else Path(settings.index_dir)
    target = ROOT / ".bench" / f"synthetic-{articles}-{source.parent.name.lstrip('.') or 'index'}"
    print(f"synthetic corpus of {articles:,} articles from {source} in {target}", flush=True)
    stats = make_corpus(target, articles, source)
    cases = ROOT / "evals" / ("bbc.yaml" if source == bbc else "qa.yaml")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "evals.scale",
            "--serve",
            str(target),
            "--cases",
            str(cases),
            "--rounds",
            str(rounds),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode:
        raise SystemExit(f"the serving process failed:\n{out.stderr[-3000:]}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"answering over {articles:,} articles ({stats['sentences']:,} sentences, "
        f"{stats['chunks']:,} chunks): index opened and first answer in "
        f"{figures['opened_s']:.1f} s; {figures['asked']} warm answers (a fifth filtered): "
        f"p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, "
        f"max {figures['max_ms']:.0f} ms; serving process peak {figures['peak_mb']:,.0f} MB"
    )
    print(
        "  p95 of each stage: "
        + ", ".join(f"{k} {v:.0f} ms" for k, v in figures["stages_p95_ms"].items())
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m evals.scale")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--cases", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        print(json.dumps(serve(Path(args.serve), Path(args.cases), args.rounds)))
    else:
        bench_scale(args.articles, args.rounds)
