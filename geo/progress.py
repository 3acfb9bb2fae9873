"""Progress on long batches: a rich bar on stderr, or the caller's callback.

Geocoders report how many distinct queries they have settled; the bar shows
only for batches worth watching, so a short run prints nothing.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress", "reporter", "MIN_TOTAL"]

#: Distinct queries from which ``progress=True`` shows a bar.
MIN_TOTAL = 10_000


class Progress:
    """Counts settled queries and shows them, as a bar or through ``callback(done, total)``.

    ``label`` is plain text, shown as written.
    """

    def __init__(self, total: int, label: str = "Geocoding", callback=None):
        self.total, self.done, self._callback = total, 0, callback
        self._bar = None
        if callback is None:
            from rich.console import Console
            from rich.markup import escape
            from rich.progress import Progress as Bar

            # On stderr: stdout carries data (extract's GeoJSON, geocode's CSV).
            self._bar = Bar(transient=True, console=Console(stderr=True))
            self._bar.start()
            # A label is text (it may name a provider URL or a file): never markup.
            self._task = self._bar.add_task(escape(label), total=total)

    def __call__(self, n: int) -> None:
        """``n`` more queries settled."""
        self.done += n
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)
        else:
            self._callback(self.done, self.total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def reporter(
    progress: bool | Callable[[int, int], None], total: int, label: str = "Geocoding",
    min_total: int = MIN_TOTAL,
) -> Progress | None:  # fmt: skip
    """A :class:`Progress` for ``progress=...`` options, or ``None`` for no report.

    ``progress`` is ``False`` (nothing), ``True`` (a bar, from ``min_total``
    queries) or a callable that gets ``(done, total)``.
    """
    if callable(progress):
        return Progress(total, label, progress)
    if progress and total >= min_total:
        return Progress(total, label)
    return None
