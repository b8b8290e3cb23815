"""Charts a notebook shows: a matplotlib Figure with a description (kept apart from
``support.timing`` so that timing something does not import matplotlib)."""

from __future__ import annotations

import base64
import html
import io
from typing import Any

from matplotlib.figure import Figure


class Chart(Figure):
    """A matplotlib Figure that a notebook shows as a PNG with a one-line description (its
    alt text and caption, and the plain-text form), with no pyplot state involved."""

    description: str = ""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        png = self._repr_png_()
        text = self.description or "a chart"
        encoded = base64.b64encode(png).decode("ascii")
        figure = (f'<figure style="margin:0"><img alt="{html.escape(text)}" '
                  f'src="data:image/png;base64,{encoded}">'
                  f'<figcaption style="font-size:small">{html.escape(text)}</figcaption></figure>')
        return {"image/png": encoded, "text/html": figure, "text/plain": text}
