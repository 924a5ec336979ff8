"""The one CJK font every PDF (case memo, 該非判定書, screening record) is set in.

An embeddable TrueType font is preferred, so the Japanese text is readable on any machine and extractable
(records must stand an audit): ``TECHGUARD_CJK_FONT`` (a .ttf path), else IPAex / IPA Gothic from the Debian
packages ``fonts-ipaexfont-gothic`` / ``fonts-ipafont-gothic`` (``scripts/ensure-build-deps.sh`` installs the
first). Without one, documents that may fall back use reportlab's built-in CID font (not embedded) and say so;
documents that must embed refuse with :class:`FontMissing`.
"""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

EMBEDDED_NAME = "TechguardCJK"
CID_FALLBACK = "HeiseiKakuGo-W5"
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/ipafont-gothic/ipag.ttf",
    "/Library/Fonts/ipaexg.ttf",
)


class FontMissing(RuntimeError):
    """No embeddable CJK font is installed; the message says how to install one."""

    def __init__(self) -> None:
        super().__init__(
            "no CJK TrueType font to embed in the PDF: install one (apt-get install fonts-ipaexfont-gothic) or set"
            " TECHGUARD_CJK_FONT to a .ttf file / PDFに埋め込む日本語フォントがありません（fonts-ipaexfont-gothic を"
            "インストールするか TECHGUARD_CJK_FONT に .ttf を指定してください）"
        )


def font_path() -> Path | None:
    """The TrueType CJK font to embed, or ``None`` when none is installed."""
    configured = os.environ.get("TECHGUARD_CJK_FONT") or os.environ.get("TECHGUARD_PDF_FONT")  # older name
    for candidate in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def embedded_font() -> str:
    """The registered name of the embedded CJK font; :class:`FontMissing` when none is installed."""
    if EMBEDDED_NAME not in pdfmetrics.getRegisteredFontNames():
        path = font_path()
        if path is None:
            raise FontMissing
        pdfmetrics.registerFont(TTFont(EMBEDDED_NAME, str(path)))
    return EMBEDDED_NAME


def cjk_font() -> tuple[str, bool]:
    """``(font name, embedded)``: the embedded font, else the built-in CID font (the caller says so on the page)."""
    try:
        return embedded_font(), True
    except FontMissing:
        if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
        return CID_FALLBACK, False


__all__ = ["FontMissing", "cjk_font", "embedded_font", "font_path"]
