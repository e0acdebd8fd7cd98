"""Run reports: results.json, report.md and a self-contained report.html with plots;
comparison with an earlier run and the regression gate."""

from __future__ import annotations

import base64
import html
import io
import json
import tomllib
from pathlib import Path

from evals.metrics import DEFINITIONS, LOWER_IS_BETTER, QUALITY

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"
LABELS = {
    "hit_rate": "hit rate",
    "recall_at_k": "recall@k",
    "mrr": "MRR",
    "citation_recall": "citation recall",
    "citation_precision": "citation precision",
    "quote_fidelity": "quote fidelity",
    "key_facts": "key facts",
    "refusal_accuracy": "refusal accuracy",
    "conflict_coverage": "conflict coverage",
    "false_conflict": "false conflicts",
    "duplicate_handling": "duplicate handling",
    "pass_rate": "pass rate",
}


# --- comparison and gate -------------------------------------------------------------------


def compare(previous: dict, current: dict, against: str) -> dict:
    """Per generator: questions that now fail (regressions) or now pass (improvements), and
    each metric's change."""
    out = {"against": against, "generators": {}}
    for name, cur in current["generators"].items():
        prev = previous.get("generators", {}).get(name)
        if prev is None:
            continue
        before = {q["id"]: q for q in prev["questions"]}
        regressions, improvements = [], []
        for q in cur["questions"]:
            old = before.get(q["id"])
            if old is None:
                continue
            if old["passed"] and not q["passed"]:
                regressions.append({"id": q["id"], "failures": q["failures"]})
            elif not old["passed"] and q["passed"]:
                improvements.append({"id": q["id"]})
        deltas = {}
        for metric in QUALITY:
            a, b = prev["overall"].get(metric), cur["overall"].get(metric)
            if a is not None and b is not None:
                deltas[metric] = {"before": a, "after": b, "delta": b - a}
        out["generators"][name] = {
            "regressions": regressions,
            "improvements": improvements,
            "deltas": deltas,
        }
    return out


def load_thresholds(path: Path = THRESHOLDS) -> dict:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"cannot read thresholds from {path}: {e}") from None


def gate(current: dict, comparison: dict | None, thresholds: dict) -> list[str]:
    """What fails the regression gate; empty when the run passes."""
    problems = []
    floors = thresholds.get("minimum", {})
    drops = thresholds.get("max_drop", {})
    allowed = int(thresholds.get("questions", {}).get("max_regressions", 0))
    for name, gen in current["generators"].items():
        for metric, floor in floors.items():
            value = gen["overall"].get(metric)
            if value is not None and value < floor:
                problems.append(f"{name}: {LABELS.get(metric, metric)} {value:.3f} < {floor}")
        for metric, ceiling in thresholds.get("maximum", {}).items():
            value = gen["overall"].get(metric)
            if value is not None and value > ceiling:
                problems.append(f"{name}: {LABELS.get(metric, metric)} {value:.3f} > {ceiling}")
        if comparison is None or name not in comparison["generators"]:
            continue
        cmp = comparison["generators"][name]
        for metric, d in cmp["deltas"].items():
            limit = drops.get(metric, drops.get("default"))
            worse = d["delta"] if metric in LOWER_IS_BETTER else -d["delta"]
            if limit is not None and worse > limit + 1e-9:
                verb = "rose" if metric in LOWER_IS_BETTER else "fell"
                problems.append(
                    f"{name}: {LABELS.get(metric, metric)} {verb} {d['before']:.3f} -> "
                    f"{d['after']:.3f} (more than {limit})"
                )
        if len(cmp["regressions"]) > allowed:
            ids = ", ".join(r["id"] for r in cmp["regressions"])
            problems.append(f"{name}: {len(cmp['regressions'])} question(s) regressed: {ids}")
    return problems


# --- formatting ----------------------------------------------------------------------------


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _ms(value) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def summary_table(results: dict) -> str:
    """The compact table printed at the end of a run."""
    names = list(results["generators"])
    width = max(len(LABELS[m]) for m in QUALITY) + 2
    lines = ["metric".ljust(width) + "".join(n[:14].rjust(16) for n in names)]
    for metric in QUALITY:
        row = LABELS[metric].ljust(width)
        for n in names:
            value = _fmt(results["generators"][n]["overall"].get(metric))
            delta = _delta(results, n, metric)
            row += (value + (f" ({delta})" if delta else "")).rjust(16)
        lines.append(row)
    for n in names:
        o = results["generators"][n]["overall"]
        total = o["latency_ms"].get("total", {})
        lines.append(
            f"{n}: {o['passed']}/{o['questions']} passed; false refusals {o['false_refusal']}, "
            f"false answers {o['false_answer']}; latency p50 {_ms(total.get('p50'))} ms, "
            f"p95 {_ms(total.get('p95'))} ms"
        )
        g = o.get("generation")
        if g:
            lines.append(f"  {_generation_line(g)}")
        cmp = (results.get("compare") or {}).get("generators", {}).get(n)
        if cmp:
            lines.append(
                f"  vs {results['compare']['against']}: {len(cmp['regressions'])} regressed "
                f"{[r['id'] for r in cmp['regressions']]}, {len(cmp['improvements'])} improved"
            )
    return "\n".join(lines)


def _generation_line(g: dict) -> str:
    speed = g.get("tokens_per_second_p50")
    return (
        f"LLM drafts: {g['answers']}, groundedness {_fmt(g['groundedness'])}, "
        f"{g['dropped_sentences']} sentence(s) dropped, {g['fallbacks']} fell back to "
        f"extractive" + (f", {speed:.1f} tokens/s (median)" if speed else "")
    )


def _delta(results: dict, generator: str, metric: str) -> str:
    cmp = (results.get("compare") or {}).get("generators", {}).get(generator)
    if not cmp or metric not in cmp["deltas"]:
        return ""
    d = cmp["deltas"][metric]["delta"]
    return "" if abs(d) < 5e-4 else f"{d:+.3f}"


def _ordered(questions: list[dict]) -> list[dict]:
    return sorted(questions, key=lambda q: (q["passed"], q["id"]))


def markdown(results: dict) -> str:
    run = results["run"]
    names = list(results["generators"])
    out = [
        f"# Eval report {run['id']}",
        "",
        f"{run['questions']} questions from `{run['cases']}`; generators: {', '.join(names)}; "
        f"commit {run.get('commit') or 'unknown'}; {run['seconds']:.1f} s.",
        "",
        "| metric | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for metric in QUALITY:
        cells = []
        for n in names:
            value = _fmt(results["generators"][n]["overall"].get(metric))
            delta = _delta(results, n, metric)
            cells.append(value + (f" ({delta})" if delta else ""))
        out.append(f"| {LABELS[metric]} | " + " | ".join(cells) + " |")
    for n in names:
        g = results["generators"][n]["overall"].get("generation")
        if g:
            out += ["", f"{n}: {_generation_line(g)}"]
    out += ["", "## Latency (ms)", "", "| generator | stage | p50 | p95 |", "|---|---|---|---|"]
    for n in names:
        for stage, v in results["generators"][n]["overall"]["latency_ms"].items():
            out.append(f"| {n} | {stage} | {_ms(v['p50'])} | {_ms(v['p95'])} |")
    gate_info = results.get("gate")
    if gate_info and gate_info.get("checked"):
        out += ["", "## Gate", "", "passed" if gate_info["passed"] else "**failed**"]
        out += [f"- {p}" for p in gate_info["problems"]]
    if results.get("compare"):
        out += ["", f"## Compared with {results['compare']['against']}", ""]
        for n, cmp in results["compare"]["generators"].items():
            out.append(
                f"- {n}: regressions: {', '.join(r['id'] for r in cmp['regressions']) or 'none'}; "
                f"improvements: {', '.join(r['id'] for r in cmp['improvements']) or 'none'}"
            )
    out += ["", "## Questions (failures first)", ""]
    for n in names:
        out += [f"### {n}", "", "| | id | category | failures |", "|---|---|---|---|"]
        for q in _ordered(results["generators"][n]["questions"]):
            mark = "PASS" if q["passed"] else "FAIL"
            fails = "; ".join(q["failures"]).replace("|", "\\|")
            out.append(f"| {mark} | {q['id']} | {q['category']} | {fails} |")
        out.append("")
    out += ["## Definitions", ""]
    out += [f"- **{LABELS[m]}**: {DEFINITIONS[m]}" for m in QUALITY]
    return "\n".join(out) + "\n"


# --- plots ---------------------------------------------------------------------------------


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def plots(results: dict) -> dict[str, str]:
    """Base64 PNGs: metric bars (with the compared run) and a latency histogram."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results["generators"])
    series = [(n, results["generators"][n]["overall"]) for n in names]
    cmp = results.get("compare")
    if cmp:
        before = {}
        for n, c in cmp["generators"].items():
            before = {m: d["before"] for m, d in c["deltas"].items()}
            series.insert(0, (f"{n} (before)", before))
            break
    metrics = [m for m in QUALITY if any(o.get(m) is not None for _, o in series)]
    fig, ax = plt.subplots(figsize=(10, 3.6))
    width = 0.8 / max(len(series), 1)
    for i, (label, o) in enumerate(series):
        xs = [j + i * width for j in range(len(metrics))]
        ys = [o.get(m) or 0 for m in metrics]
        ax.bar(xs, ys, width, label=label, color="#bbbbbb" if "(before)" in label else None)
    ax.set_xticks([j + width * (len(series) - 1) / 2 for j in range(len(metrics))])
    ax.set_xticklabels([LABELS[m] for m in metrics], rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.set_title("Answer quality by metric")
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    out = {"metrics": _png(fig)}

    fig, ax = plt.subplots(figsize=(10, 3.2))
    for n in names:
        totals = [
            q["answer"]["timings_ms"]["total"]
            for q in results["generators"][n]["questions"]
            if "total" in q["answer"].get("timings_ms", {})
        ]
        if totals:
            ax.hist(totals, bins=20, alpha=0.6, label=n)
    ax.set_xlabel("ms per question (rag.ask timings, total)")
    ax.set_ylabel("questions")
    ax.set_title("Latency")
    ax.legend(fontsize=8)
    out["latency"] = _png(fig)
    return out


# --- HTML ----------------------------------------------------------------------------------


def _e(value) -> str:
    return html.escape(str(value))


def _answer_html(name: str, q: dict) -> str:
    """One generator's answer to a question: verdict, answer, citations, support, passages."""
    a = q["answer"]
    status = "pass" if q["passed"] else "fail"
    fails = "".join(f"<li>{_e(f)}</li>" for f in q["failures"])
    cites = "".join(
        f"<li><b>[{c['n']}]</b> {_e(c['doc_id'])} · {_e(c.get('outlet', ''))} · "
        f"{_e(c.get('speaker') or '')} ({c['start']}–{c['end']})"
        f"<blockquote>{_e(c['quote'])}</blockquote></li>"
        for c in a["citations"]
    )
    support = "".join(
        f"<tr><td>[{s['n']}]</td><td>{_e(s['claim'])}</td><td>{'yes' if s['supported'] else 'NO'}"
        f"</td><td>{s.get('lexical', '')}</td><td>{s.get('semantic', '')}</td></tr>"
        for s in q.get("support", [])
    )
    passages = "".join(
        f"<li>{_e(p['doc_id'])} ({p['start']}–{p['end']}, score {p['score']})"
        f"<div class='passage'>{_e(p['text'])}</div></li>"
        for p in a.get("retrieved", [])
    )
    metrics = " · ".join(
        f"{LABELS[m]} {_fmt(v)}" for m, v in q["metrics"].items() if v is not None and m in LABELS
    )
    llm = ""
    if a.get("generation"):
        dropped = "".join(
            f"<li>{_e(d['sentence'])} <i>({_e(d['reason'])})</i></li>" for d in a.get("dropped", [])
        )
        llm = (
            f"<p>Draft by {_e(a['generation']['model'])} (groundedness "
            f"{_fmt(a.get('groundedness'))}):</p><pre class='draft'>"
            f"{_e(a['generation'].get('draft', ''))}</pre>"
            + (f"<p>Dropped:</p><ul class='dropped'>{dropped}</ul>" if dropped else "")
            + (
                f"<p class='fallback'>Fell back to extractive: {_e(a['fallback'])}</p>"
                if a.get("fallback")
                else ""
            )
        )
    return (
        f"<div class='gen'><h4><span class='badge {status}'>{status.upper()}</span> {_e(name)}</h4>"
        + (f"<p>Failures:</p><ul class='fails'>{fails}</ul>" if fails else "")
        + f"<p class='metrics'>{metrics}</p>"
        f"<p>Answer ({_e(a['generator'])}, {'refused' if a['refused'] else 'answered'}):</p>"
        f"<pre class='answer'>{_e(a['answer'])}</pre>"
        + llm
        + (f"<p>Citations:</p><ol class='cites'>{cites}</ol>" if cites else "")
        + (
            "<p>Support of each cited claim:</p><table class='support'><tr><th>n</th>"
            f"<th>claim</th><th>supported</th><th>lexical</th><th>semantic</th></tr>{support}"
            "</table>"
            if support
            else ""
        )
        + (f"<p>Retrieved passages:</p><ol class='passages'>{passages}</ol>" if passages else "")
        + "</div>"
    )


def _question_html(answers: dict[str, dict]) -> str:
    """One question, every generator's answer side by side."""
    q = next(iter(answers.values()))
    failed = any(not a["passed"] for a in answers.values())
    badges = " ".join(
        f"<span class='badge {'pass' if a['passed'] else 'fail'}' title='{_e(n)}'>"
        f"{'PASS' if a['passed'] else 'FAIL'}</span>"
        for n, a in answers.items()
    )
    history = "".join(f"<li>{_e(h)}</li>" for h in q.get("history", []))
    columns = "".join(_answer_html(n, a) for n, a in answers.items())
    return (
        f"<details class='q {'fail' if failed else 'pass'}' id='q-{_e(q['id'])}'><summary>"
        f"{badges} <code>{_e(q['id'])}</code> <span class='cat'>{_e(q['category'])}</span> "
        f"{_e(q['question'])}</summary><div class='body'>"
        + (f"<p>History:</p><ol>{history}</ol>" if history else "")
        + f"<div class='side-by-side' style='--cols:{len(answers)}'>{columns}</div></div></details>"
    )


def _questions_html(results: dict) -> str:
    by_id: dict[str, dict[str, dict]] = {}
    for name, gen in results["generators"].items():
        for q in gen["questions"]:
            by_id.setdefault(q["id"], {})[name] = q
    ordered = sorted(
        by_id.values(),
        key=lambda answers: (
            all(a["passed"] for a in answers.values()),
            next(iter(answers.values()))["id"],
        ),
    )
    return "".join(_question_html(answers) for answers in ordered)


_CSS = """
body { font-family: system-ui, sans-serif; margin: 24px; max-width: 1200px; color: #111; }
table { border-collapse: collapse; margin: 8px 0; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.badge { border-radius: 4px; padding: 0 6px; font-size: 0.8em; font-weight: 600; }
.badge.pass { background: #dcfce7; color: #14532d; } .badge.fail { background: #fee2e2; color: #7f1d1d; }
.cat { color: #555; font-size: 0.85em; margin: 0 6px; }
details.q { border: 1px solid #ddd; border-radius: 6px; margin: 4px 0; padding: 4px 8px; }
details.q.fail { border-color: #f5a3a3; }
.body { padding: 4px 12px; } pre.answer { white-space: pre-wrap; background: #fafafa; padding: 8px; }
blockquote { margin: 2px 0 6px 12px; color: #333; } .passage { color: #444; font-size: 0.9em; }
.delta-neg { color: #b91c1c; font-weight: 600; } .delta-pos { color: #15803d; }
.gate-fail { color: #b91c1c; font-weight: 600; } .gate-pass { color: #15803d; font-weight: 600; }
img.plot { max-width: 100%; border: 1px solid #eee; }
.side-by-side { display: grid; grid-template-columns: repeat(var(--cols), minmax(0, 1fr)); gap: 12px; }
.gen { min-width: 0; } pre.draft { white-space: pre-wrap; background: #fff7ed; padding: 8px; }
.fallback { color: #92400e; }
"""


def report_html(results: dict, images: dict[str, str]) -> str:
    run = results["run"]
    names = list(results["generators"])
    head = "".join(f"<th>{_e(n)}</th>" for n in names)
    rows = ""
    for metric in QUALITY:
        cells = ""
        for n in names:
            value = _fmt(results["generators"][n]["overall"].get(metric))
            delta = _delta(results, n, metric)
            cls = "delta-neg" if delta.startswith("-") else "delta-pos"
            cells += (
                f"<td>{value}"
                + (f" <span class='{cls}'>({delta})</span>" if delta else "")
                + "</td>"
            )
        rows += f"<tr><td title='{_e(DEFINITIONS[metric])}'>{LABELS[metric]}</td>{cells}</tr>"
    counts = "".join(
        f"<tr><td>{_e(n)}</td><td>{o['passed']}/{o['questions']}</td><td>{o['correct_answer']}</td>"
        f"<td>{o['correct_refusal']}</td><td>{o['false_refusal']}</td><td>{o['false_answer']}</td></tr>"
        for n, o in ((n, results["generators"][n]["overall"]) for n in names)
    )
    generation = "".join(
        f"<p class='generation'>{_e(n)}: {_e(_generation_line(o['generation']))}</p>"
        for n, o in ((n, results["generators"][n]["overall"]) for n in names)
        if o.get("generation")
    )
    latency = "".join(
        f"<tr><td>{_e(n)}</td><td>{_e(stage)}</td><td>{_ms(v['p50'])}</td><td>{_ms(v['p95'])}</td></tr>"
        for n in names
        for stage, v in results["generators"][n]["overall"]["latency_ms"].items()
    )
    gate_html = ""
    g = results.get("gate")
    if g and g.get("checked"):
        cls = "gate-pass" if g["passed"] else "gate-fail"
        items = "".join(f"<li>{_e(p)}</li>" for p in g["problems"])
        gate_html = f"<h2>Gate</h2><p class='{cls}'>{'passed' if g['passed'] else 'failed'}</p><ul>{items}</ul>"
    cmp_html = ""
    if results.get("compare"):
        parts = []
        for n, c in results["compare"]["generators"].items():
            reg = "".join(
                f"<li><a href='#q-{_e(r['id'])}'>{_e(r['id'])}</a>: {_e('; '.join(r['failures']))}</li>"
                for r in c["regressions"]
            )
            imp = "".join(f"<li>{_e(r['id'])}</li>" for r in c["improvements"])
            parts.append(
                f"<h3>{_e(n)}</h3><p>Regressions ({len(c['regressions'])}):</p><ul class='regressions'>{reg}</ul>"
                f"<p>Improvements ({len(c['improvements'])}):</p><ul class='improvements'>{imp}</ul>"
            )
        cmp_html = f"<h2>Compared with {_e(results['compare']['against'])}</h2>" + "".join(parts)
    questions = _questions_html(results)
    defs = "".join(f"<dt>{LABELS[m]}</dt><dd>{_e(DEFINITIONS[m])}</dd>" for m in QUALITY)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Eval report {_e(run["id"])}</title>
<style>{_CSS}</style></head><body>
<h1>Eval report {_e(run["id"])}</h1>
<p>{run["questions"]} questions from <code>{_e(run["cases"])}</code> · generators: {_e(", ".join(names))}
· commit {_e(run.get("commit") or "unknown")} · {run["seconds"]:.1f} s</p>
<h2>Overall</h2>
<table class="overall"><tr><th>metric</th>{head}</tr>{rows}</table>
<table><tr><th>generator</th><th>passed</th><th>correct answers</th><th>correct refusals</th>
<th>false refusals</th><th>false answers</th></tr>{counts}</table>
{generation}
{gate_html}
<h2>Plots</h2>
<img class="plot" id="plot-metrics" alt="metric bars" src="data:image/png;base64,{images["metrics"]}">
<img class="plot" id="plot-latency" alt="latency histogram" src="data:image/png;base64,{images["latency"]}">
<h2>Latency (ms)</h2>
<table><tr><th>generator</th><th>stage</th><th>p50</th><th>p95</th></tr>{latency}</table>
{cmp_html}
<h2>Questions (failures first)</h2>
{questions}
<h2>Definitions</h2><dl>{defs}</dl>
</body></html>
"""


def write_report(results: dict, folder: Path) -> dict[str, Path]:
    """results.json, report.md and report.html in folder."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": folder / "results.json",
        "md": folder / "report.md",
        "html": folder / "report.html",
    }
    paths["json"].write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    paths["md"].write_text(markdown(results), encoding="utf-8")
    paths["html"].write_text(report_html(results, plots(results)), encoding="utf-8")
    return paths


def side_by_side(runs: list[tuple[str, dict]], generator: str = "extractive") -> str:
    """One column per suite and split (dev, test, all), one row per metric: the table the
    README and the issue notes quote."""
    columns = []
    for name, results in runs:
        gen = results["generators"].get(generator)
        if gen is None:
            continue
        for split, o in gen.get("splits", {}).items():
            columns.append((f"{name} {split}", o))
        columns.append((f"{name} all", gen["overall"]))
    counts = [
        ("questions", "questions"),
        ("passed", "passed"),
        ("false refusals", "false_refusal"),
        ("false answers", "false_answer"),
        ("missed conflicts", "missed_conflicts"),
        ("false conflicts", "false_conflicts"),
    ]
    head = "| metric | " + " | ".join(c for c, _ in columns) + " |"
    lines = [head, "|---|" + "---:|" * len(columns)]
    for metric in QUALITY:
        lines.append(
            f"| {LABELS[metric]} | " + " | ".join(_fmt(o.get(metric)) for _, o in columns) + " |"
        )
    for label, key in counts:
        lines.append(f"| {label} | " + " | ".join(str(o.get(key, "")) for _, o in columns) + " |")
    lines.append(
        "| p50 ms | "
        + " | ".join(_ms(o["latency_ms"].get("total", {}).get("p50")) for _, o in columns)
        + " |"
    )
    return "\n".join(lines)
