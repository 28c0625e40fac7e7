"""SQL for the prompt embeddings the text tower made, kept per model so a re-tag never
re-runs it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlite_utils import Database


def text_vectors(db: Database, model: str, texts: Sequence[str], dim: int) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(texts))
    for start in range(0, len(unique), 500):  # SQLite's parameter limit
        chunk = unique[start : start + 500]
        rows = db.execute(
            "SELECT text, vector FROM text_embeddings "
            f"WHERE model = ? AND text IN ({', '.join('?' * len(chunk))})",
            [model, *chunk],
        )
        for text, blob in rows:
            vector = np.frombuffer(blob, np.float32)
            if vector.shape == (dim,):
                found[text] = vector
    return found


def save_text_vectors(db: Database, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
    vectors = np.ascontiguousarray(vectors, np.float32)
    db.conn.executemany(
        "INSERT INTO text_embeddings(model, text, vector) VALUES (?, ?, ?) "
        "ON CONFLICT(model, text) DO UPDATE SET vector = excluded.vector",
        [(model, t, v.tobytes()) for t, v in zip(texts, vectors, strict=True)],
    )


def forget_text_vectors_except(db: Database, model: str) -> None:
    db.execute("DELETE FROM text_embeddings WHERE model != ?", [model])
