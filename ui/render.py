"""Answer -> chat message (Markdown) and sources panel (HTML).

Everything that comes from a document (quotes, titles, outlets, speakers) goes through
``html.escape`` here, so an article holding markup or a script shows as text.
"""

from __future__ import annotations

import html
import re

from core.markers import SIDE_LABEL
from core.types import Answer, Citation

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$>])")
_CITE = re.compile(r"\\\[(\d+)\\\]")  # an escaped [n]
_BULLET = re.compile(r"^- ")

CONFLICT_MARK = "Sources disagree"
REFUSAL_MARK = "Not in the articles"
SIDE_NAMES = {"affirms": "Says yes", "denies": "Says no"}


def escape_markdown(text: str) -> str:
    """Text shown literally by a Markdown renderer that also allows HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _cite_links(escaped: str, known: set[int]) -> str:
    def link(m: re.Match) -> str:
        n = int(m.group(1))
        if n not in known:
            return m.group(0)
        return f'<a class="cite" href="#src-{n}" title="Source {n}">[{n}]</a>'

    return _CITE.sub(link, escaped)


def _answer_lines(answer: Answer) -> list[str]:
    known = {c.n for c in answer.citations}
    lines = answer.answer.splitlines()
    if answer.conflicts and lines and lines[0].strip() == CONFLICT_MARK + ".":
        lines = lines[1:]  # the badge says it
    out = []
    for line in lines:
        bullet = "- " if _BULLET.match(line) else ""
        body = line[len(bullet) :]
        side = SIDE_LABEL.match(body)
        label = ""
        if side:
            label = f"**{side.group(1)}:** "
            body = body[side.end() :]
        out.append(bullet + label + _cite_links(escape_markdown(body), known))
    return out


def chat_message(answer: Answer) -> str:
    """The assistant's chat message: a marker for conflicts and refusals, then the answer."""
    lines = _answer_lines(answer)
    if answer.refused:
        head = f'<span class="badge badge-refusal">{REFUSAL_MARK}</span>'
    elif answer.conflicts:
        head = f'<span class="badge badge-conflict">⚠ {CONFLICT_MARK}</span>'
    else:
        head = ""
    return "\n\n".join(x for x in [head, "\n".join(lines), generation_note(answer)] if x)


def streaming_message(text: str, draft: bool = False) -> str:
    """A partial answer while it is still arriving; an LLM's draft is marked as unchecked."""
    body = escape_markdown(text) + " ▌"
    if draft:
        return "_Draft, checked against the sources when it is done:_\n\n" + body
    return body


def generation_note(answer: Answer) -> str:
    """How an LLM's answer was checked, or why the extractive answer is shown."""
    if answer.fallback:
        return (
            '<span class="note">The model\'s answer could not be used '
            f"({escape_markdown(answer.fallback)}); this is the extractive answer.</span>"
        )
    g = answer.generation
    if not g:
        return ""
    dropped = len(answer.dropped)
    kept = (
        f"{answer.groundedness:.0%} of its sentences kept"
        if answer.groundedness is not None
        else ""
    )
    more = f", {dropped} dropped as unsupported" if dropped else ""
    return (
        f'<span class="note">Written by {escape_markdown(g["model"])} and checked against the '
        f"sources: {kept}{more}.</span>"
    )


def error_message(message: str) -> str:
    return f'<span class="badge badge-error">Error</span>\n\n{escape_markdown(message)}'


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _side_of(answer: Answer) -> dict[int, str]:
    sides: dict[int, str] = {}
    for conflict in answer.conflicts:
        for i, numbers in enumerate(conflict.sides):
            label = conflict.labels[i] if i < len(conflict.labels) else f"side {i + 1}"
            for n in numbers:
                sides[n] = label
    return sides


def _highlighted_context(c: Citation) -> str:
    lo, hi = c.start - c.context_start, c.end - c.context_start
    context = c.context
    if not context or lo < 0 or hi > len(context) or context[lo:hi] != c.quote:
        return f"<mark>{_esc(c.quote)}</mark>"
    return f"{_esc(context[:lo])}<mark>{_esc(c.quote)}</mark>{_esc(context[hi:])}"


def source_card(c: Citation, side: str | None = None) -> str:
    """One citation: outlet, date, title, speaker, the quote highlighted in its paragraph."""
    known = [x for x in (c.outlet, c.date) if x and x != "unknown"]
    outlet = _esc(c.outlet) if c.outlet and c.outlet != "unknown" else "Unknown outlet"
    date = f" · <time>{_esc(c.date)}</time>" if c.date and c.date != "unknown" else ""
    side_html = ""
    if side:
        side_html = (
            f' <span class="side side-{_esc(side)}">{_esc(SIDE_NAMES.get(side, side))}</span>'
        )
    author = f'<div class="source-author">By {_esc(c.author)}</div>' if c.author else ""
    speaker = ""
    if c.speaker:
        role = f", {_esc(c.role)}" if c.role else ""
        speaker = f'<div class="source-speaker">Speaker: {_esc(c.speaker)}{role}</div>'
    also = ""
    if c.also_reported_by or c.also_in:
        names = c.also_reported_by or c.also_in
        also = (
            '<div class="source-also">Also reported by: '
            + "; ".join(_esc(n) for n in names)
            + "</div>"
        )
    return (
        f'<article class="source" id="src-{c.n}" data-n="{c.n}" '
        f'aria-label="Source {c.n}: {_esc(", ".join(known) or "unknown outlet")}">'
        f'<header><span class="source-n">[{c.n}]</span> '
        f'<span class="source-outlet">{outlet}</span>{date}{side_html}</header>'
        f'<div class="source-title">{_esc(c.title)}</div>'
        f"{author}{speaker}"
        f'<blockquote class="source-context">{_highlighted_context(c)}</blockquote>'
        f"{also}"
        f'<div class="source-ref">{_esc(c.doc_id)} · characters {c.start}–{c.end}</div>'
        "</article>"
    )


def _conflict_banner(answer: Answer) -> str:
    by_n = {c.n: c for c in answer.citations}
    parts = []
    for conflict in answer.conflicts:
        rows = []
        for i, numbers in enumerate(conflict.sides):
            label = conflict.labels[i] if i < len(conflict.labels) else f"side {i + 1}"
            who = "; ".join(
                f"[{n}] {_esc(by_n[n].speaker or by_n[n].source())}" for n in numbers if n in by_n
            )
            rows.append(f"<li><strong>{_esc(SIDE_NAMES.get(label, label))}:</strong> {who}</li>")
        parts.append(
            '<div class="conflict-banner" role="alert">'
            f"<strong>⚠ {CONFLICT_MARK}</strong> on “{_esc(conflict.about)}”"
            f"<ul>{''.join(rows)}</ul></div>"
        )
    return "".join(parts)


def sources_panel(answer: Answer | None) -> str:
    """The HTML of the sources panel for an answer (or the empty state)."""
    if answer is None:
        return '<div class="sources-empty">Sources of the answer appear here.</div>'
    if answer.refused:
        return (
            '<div class="sources-empty refusal-note">No source answers this question, '
            "so nothing is cited.</div>"
        )
    sides = _side_of(answer)
    count = len(answer.citations)
    head = f'<div class="sources-count">{count} source{"s" if count != 1 else ""}</div>'
    cards = "".join(source_card(c, sides.get(c.n)) for c in answer.citations)
    return f'<div class="sources">{_conflict_banner(answer)}{head}{cards}</div>'


def searching_panel() -> str:
    return '<div class="sources-empty">Searching the articles…</div>'


CSS = """
#sources .sources { display: flex; flex-direction: column; gap: 10px; }
#sources .source { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 10px 12px; background: var(--background-fill-secondary); }
#sources .source:target { outline: 2px solid var(--color-accent); }
#sources .source header { font-weight: 600; }
#sources .source-n { color: var(--color-accent); margin-right: 4px; }
#sources .source-title { font-style: italic; margin: 2px 0 6px; }
#sources .source-speaker { font-size: 0.9em; margin-bottom: 4px; }
#sources .source-context { margin: 4px 0; padding-left: 10px;
  border-left: 3px solid var(--border-color-accent); white-space: pre-wrap; }
#sources mark { background: #fde68a; color: #111; padding: 0 2px; }
#sources .source-also { font-size: 0.9em; margin-top: 4px; }
#sources .source-ref { font-size: 0.8em; opacity: 0.7; margin-top: 4px; }
#sources .side { font-size: 0.8em; border-radius: 4px; padding: 1px 6px; margin-left: 6px; }
#sources .side-affirms { background: #dcfce7; color: #14532d; }
#sources .side-denies { background: #fee2e2; color: #7f1d1d; }
#sources .conflict-banner { border: 2px solid #d97706; background: #fffbeb; color: #78350f;
  border-radius: 8px; padding: 8px 12px; }
#sources .conflict-banner ul { margin: 4px 0 0 16px; }
#sources .sources-empty { opacity: 0.75; padding: 8px; }
#sources .refusal-note { font-style: italic; }
.badge { display: inline-block; border-radius: 6px; padding: 1px 8px; font-weight: 600; }
.badge-conflict { background: #fef3c7; color: #78350f; border: 1px solid #d97706; }
.badge-refusal { background: #e0e7ff; color: #1e3a8a; border: 1px solid #6366f1; }
.badge-error { background: #fee2e2; color: #7f1d1d; border: 1px solid #dc2626; }
a.cite { text-decoration: none; font-weight: 600; }
.note { font-size: 0.85em; opacity: 0.8; font-style: italic; }
"""
