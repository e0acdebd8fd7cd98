"""python -m rag ask "question" [--json] | python -m rag chat"""

from __future__ import annotations

import argparse
import json
import sys

from core.config import GENERATORS
from core.errors import RagError
from core.types import Answer


def render(answer: Answer) -> str:
    """The answer followed by its numbered sources, for a terminal."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
    for c in answer.citations:
        also = f" (also in {', '.join(c.also_in)})" if c.also_in else ""
        lines.append(f"[{c.n}] {c.title} ({c.source()}) {c.doc_id}:{c.start}-{c.end}{also}")
        lines.append(f"    “{' '.join(c.quote.split())}”")
    if answer.generation:
        g = answer.generation
        speed = f", {g['tokens_per_second']:.1f} tokens/s" if g.get("tokens_per_second") else ""
        lines.append("")
        lines.append(
            f"[{g['generator']}: {g['model']}{speed}; groundedness {answer.groundedness:.2f}, "
            f"{len(answer.dropped)} sentence(s) dropped]"
        )
    if answer.fallback:
        lines.append(f"[extractive answer shown: {answer.fallback}]")
    return "\n".join(lines)


_SETTINGS: dict = {}


def _settings(generator: str | None):
    """The settings, resolved once for the whole session."""
    if generator not in _SETTINGS:
        from core.config import load_settings

        _SETTINGS[generator] = load_settings(generator=generator)
    return _SETTINGS[generator]


def _ask(
    question: str, history: list[str], as_json: bool, generator: str | None, stream: bool
) -> int:
    import rag

    options = {"settings": _settings(generator)}
    drafting = stream and not as_json and (generator or "extractive") != "extractive"

    def draft(piece: str) -> None:  # the unverified draft, on stderr, as it is written
        sys.stderr.write(piece)
        sys.stderr.flush()

    try:
        if drafting:
            sys.stderr.write("draft (unverified): ")
        answer = rag.ask(question, history=history, on_text=draft if drafting else None, **options)
        if drafting:
            sys.stderr.write("\n\n")
    except (TypeError, ValueError, RagError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) if as_json else render(answer))
    return 0


def chat(generator: str | None = None) -> int:
    print("Ask about the news corpus. Empty line or Ctrl-D to quit.")
    history: list[str] = []
    while True:
        try:
            question = input("\n> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question:
            return 0
        if _ask(question, history, False, generator, stream=sys.stderr.isatty()) == 0:
            history.append(question)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rag", description="Ask the news corpus.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_ask = sub.add_parser("ask", help="answer one question")
    p_ask.add_argument("question")
    p_ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p_ask.add_argument(
        "--stream", action="store_true", help="show an LLM's draft on stderr as it is written"
    )
    p_chat = sub.add_parser("chat", help="terminal chat with follow-up questions")
    for p in (p_ask, p_chat):
        p.add_argument(
            "--generator",
            choices=GENERATORS,
            help="answer generator (default RAG_GENERATOR or extractive)",
        )
    args = parser.parse_args(argv)
    if args.command == "ask":
        return _ask(args.question, [], args.json, args.generator, args.stream)
    return chat(args.generator)


if __name__ == "__main__":
    sys.exit(main())
