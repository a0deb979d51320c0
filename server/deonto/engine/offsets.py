"""Code-point offsets (Python) to UTF-16 code units (the browser's and LanguageTool's count)."""
from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class Utf16Map:
    """Converts offsets for one text; costs nothing for texts without astral characters."""

    __slots__ = ("_astral",)

    def __init__(self, text: str):
        if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
            self._astral: list[int] = []
        else:
            self._astral = [m.start() for m in _ASTRAL.finditer(text)]

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset) if self._astral else offset
