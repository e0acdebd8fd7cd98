"""newscite: one console command for everything the project does.

    newscite index [build] [--corpus DIR] [--index DIR]   index the corpus (incrementally)
    newscite index add FILE... [--outlet ...]             add articles and index them
    newscite ask "QUESTION" [--json] [--generator G]      answer one question
    newscite chat                                         chat in the terminal
    newscite serve [--host H] [--port P]                  the chat UI, its API, MCP and /v1
    newscite eval [run|import|ramdocs] ...                evaluation reports

Each command takes --help. Settings come from RAG_* environment variables (README).
"""

from __future__ import annotations

import sys

COMMANDS = ("index", "ask", "chat", "serve", "eval")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "index":
        from index.__main__ import main as index_main

        if not rest or rest[0] not in ("build", "add", "-h", "--help"):
            rest = ["build", *rest]
        return index_main(rest)
    if command in ("ask", "chat"):
        from rag.__main__ import main as rag_main

        return rag_main([command, *rest])
    if command == "serve":
        from ui.app import main as serve_main

        return serve_main(rest)
    if command == "eval":
        from evals.__main__ import main as evals_main

        if not rest or rest[0] not in ("run", "import", "ramdocs", "-h", "--help"):
            rest = ["run", *rest]
        return evals_main(rest)
    print(
        f"newscite: unknown command {command!r}; the commands are {', '.join(COMMANDS)} "
        "(newscite --help)",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
