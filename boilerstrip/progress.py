"""A one-line progress bar on stderr, and the messages printed around it.

The bar is drawn only when enabled (the CLI enables it when stderr is a terminal and ``-q`` is
not given), at most ten times a second; messages clear it first, so they never interleave.

>>> import io
>>> out = io.StringIO()
>>> p = Progress(out, total=4, unit="files", enabled=False)
>>> p.update(2)
>>> p.message("a.txt: binary")
>>> p.close()
>>> out.getvalue()
'a.txt: binary\\n'
>>> format_duration(3725.2)
'1:02:05'
"""

from __future__ import annotations

import shutil
import time
from typing import TextIO

__all__ = ["Progress", "format_duration"]


def format_duration(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss``."""
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Counts ``unit`` done out of ``total`` (``None``: unknown) and draws a bar.

    ``update(done, fraction=...)`` takes the share of work done when it is not ``done/total``
    (JSONL: bytes read), which is what the ETA is computed from.
    """

    def __init__(self, stream: TextIO, *, total: int | None, unit: str, enabled: bool) -> None:
        self.stream = stream
        self.total = total
        self.unit = unit
        self.enabled = enabled
        self.done = 0
        self.fraction: float | None = None
        self._started = time.monotonic()
        self._drawn_at = 0.0
        self._drawn = False

    def update(self, done: int, *, fraction: float | None = None) -> None:
        """Record progress; redraw if enough time has passed."""
        self.done = done
        self.fraction = fraction
        now = time.monotonic()
        if self.enabled and now - self._drawn_at >= 0.1:
            self._drawn_at = now
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        """The bar as text, fitted to the terminal width."""
        elapsed = (now or time.monotonic()) - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        fraction = self.fraction
        if fraction is None and self.total:
            fraction = self.done / self.total
        count = f"{self.done:,}" + (f"/{self.total:,}" if self.total is not None else "")
        parts = [f"{count} {self.unit}", f"{rate:,.1f} {self.unit}/s"]
        if fraction is not None and 0 < fraction <= 1:
            parts.append(f"ETA {format_duration(elapsed * (1 - fraction) / fraction)}")
        else:
            parts.append(format_duration(elapsed))
        text = "  ".join(parts)
        width = shutil.get_terminal_size((80, 24)).columns - 1
        if fraction is not None:
            bar_width = max(0, min(30, width - len(text) - 10))
            if bar_width >= 10:
                filled = int(bar_width * min(1.0, max(0.0, fraction)))
                text = f"[{'#' * filled}{'.' * (bar_width - filled)}] {fraction:4.0%}  {text}"
        return text[:width]

    def _draw(self, now: float) -> None:
        self.stream.write("\r\x1b[K" + self.line(now))
        self.stream.flush()
        self._drawn = True

    def clear(self) -> None:
        """Erase the bar, if drawn."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
            self._drawn_at = 0.0

    def message(self, text: str) -> None:
        """Print a line of text above the bar."""
        self.clear()
        self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar for good."""
        self.clear()
        self.enabled = False
