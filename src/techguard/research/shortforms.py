"""Short forms of Chinese-character names, indexed beside the names themselves.

Chinese military institutions are written with or without the army that runs them (中国人民解放军国防科学技术
大学, 国防科学技术大学), and 科学技术 ("science and technology") is commonly contracted to 科技 (国防科技大学).
The registry usually holds one form; the index adds the others as aliases of the same institution, so every
form reaches the same ROR id. In Latin script the same prefixes ("PLA", "Chinese People's Liberation Army")
may precede a name (``MILITARY_PREFIXES``, read by ``leftover``).
"""

from __future__ import annotations

# Longest first: the army's full name, then its short forms (simplified characters: keys are folded).
CJK_MILITARY_PREFIXES = ("中国人民解放军", "中国人民武装警察部队", "人民解放军", "解放军", "武警")
_CONTRACTIONS = (("科学技术", "科技"),)
MIN_REST = 4  # 国防大学: what is left after a prefix must still be a name, not a bare word

# Folded token runs written before a Chinese military institution's Latin name.
MILITARY_PREFIXES = frozenset({
    ("pla",), ("chinese", "pla"), ("peoples", "liberation", "army"), ("chinese", "peoples", "liberation", "army"),
    ("the", "peoples", "liberation", "army"),
})


def cjk_short_forms(key: str) -> set[str]:
    """Other forms of a folded Chinese-character name key (the key itself not included)."""
    forms = {key}
    for prefix in CJK_MILITARY_PREFIXES:
        if key.startswith(prefix) and len(key) - len(prefix) >= MIN_REST:
            forms.add(key[len(prefix):])
            break
    for long, short in _CONTRACTIONS:
        forms |= {f.replace(long, short) for f in forms if long in f}
    forms.discard(key)
    return forms


__all__ = ["CJK_MILITARY_PREFIXES", "MILITARY_PREFIXES", "cjk_short_forms"]
