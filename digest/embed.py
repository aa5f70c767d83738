"""Sentence vectors from WordLlama's static token embeddings: the one owner of wordllama and
numpy.

WordLlama ships a 256-dimension embedding table (16 MB) and its tokenizer inside its wheel; a
text's vector is the mean of its tokens' vectors, so embedding is a table lookup (tens of
thousands of headlines a second on one core) and needs no network: the files are loaded from
the installed package by path, never through the library's downloading loader. Imported
only where vectors are needed, so `digest --help` does not pay for numpy.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from digest.errors import InstallError

if TYPE_CHECKING:
    import numpy as np
    from wordllama.inference import WordLlamaInference

_WEIGHTS = "weights/l2_supercat_256.safetensors"
# wordllama 0.4.0.post1 looks for its tokenizer under tokenizer/, its wheel has tokenizers/
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors of the texts, one row each (float32)."""
    import numpy as np

    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    vectors = _model().embed(texts, norm=False, batch_size=256)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    # A text with no known token has a zero vector: it stays zero, similar to nothing.
    unit: np.ndarray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return unit


@cache
def _model() -> WordLlamaInference:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    except ImportError as exc:
        raise InstallError(
            f"digest is not fully installed: the event clustering cannot import wordllama ({exc})",
            hint="reinstall digest so that pip installs its dependencies: pip install .",
        ) from exc
    finally:
        # wordllama's package calls logging.basicConfig() when imported; the CLI owns logging.
        root.handlers[:] = handlers
        root.setLevel(level)
    base = Path(wordllama.__file__).parent
    weights, tokenizer = base / _WEIGHTS, base / _TOKENIZER
    if not weights.is_file() or not tokenizer.is_file():
        raise InstallError(
            f"digest is not fully installed: wordllama's bundled model is missing ({base})",
            hint="reinstall wordllama from its wheel: pip install --force-reinstall wordllama",
        )
    with safe_open(str(weights), framework="np", device="cpu") as tensors:
        table = tensors.get_tensor(next(iter(tensors.keys())))
    return WordLlamaInference(table, Tokenizer.from_file(str(tokenizer)))
