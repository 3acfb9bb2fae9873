"""Long documents in bounded pieces: where to cut, so that extraction stays linear.

Resolution weighs every name of a document against the others (its
countries, its places' distances), so its work grows with the square of the
names a document holds. A document longer than :data:`CHUNK_CHARS` is
therefore recognized and resolved one piece at a time, each piece its own
context, cut at a paragraph break, else at a sentence's start, else at a
space. Offsets stay those of the whole document. A normal article is one
piece, extracted exactly as before.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

__all__ = ["CHUNK_CHARS", "chunks"]

#: Characters from which a document is resolved in pieces (about 50 pages of text).
CHUNK_CHARS = 100_000


def chunks(
    text: str, sentence_starts: Sequence[int], limit: int | None = None
) -> Iterator[tuple[int, int]]:
    """``(start, end)`` pieces covering ``text``, each at most ``limit`` characters.

    A piece ends after the last paragraph break (a blank line) of its second
    half, else before the last sentence that starts there, else after the
    last space; a text without any is cut at ``limit`` (default
    :data:`CHUNK_CHARS`).

    >>> list(chunks("Un.\\n\\nDeux.\\n\\nTrois.", [0, 5, 12], limit=8))
    [(0, 5), (5, 12), (12, 18)]
    """
    limit = max(2, CHUNK_CHARS if limit is None else limit)
    n = len(text)
    start = 0
    while n - start > limit:
        lo, hi = start + limit // 2, start + limit
        cut = text.rfind("\n\n", lo, hi)
        if cut >= 0:
            cut += 2
        else:
            i = bisect.bisect_right(sentence_starts, hi) - 1
            if i >= 0 and sentence_starts[i] > lo:
                cut = sentence_starts[i]
            else:
                cut = max(text.rfind(" ", lo, hi), text.rfind("\n", lo, hi)) + 1 or hi
        yield start, cut
        start = cut
    yield start, n
