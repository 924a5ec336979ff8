"""The one decoder for text files: UTF-8, UTF-8 with BOM and CP932 (or a publisher's own fallback); else the line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from techguard.text.decode import TextEncodingError, decode_text, read_text

SAMPLE = "id,name\n1,株式会社東芝\n2,哈爾浜工業大学\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("cp932"), "cp932"),
    ],
)
def test_the_three_encodings_offices_save(data: bytes, encoding: str) -> None:
    decoded = decode_text(data, "names.csv")
    assert decoded.text == SAMPLE
    assert decoded.encoding == encoding


def test_latin1_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_bytes(b"id,name\n1,ok\n2,Fran\xe7ois \xff\n")
    with pytest.raises(TextEncodingError) as caught:
        read_text(path)
    assert caught.value.line == 3
    assert caught.value.path == path
    assert "CP932" in str(caught.value) and "names.csv" in str(caught.value)


@given(st.text())
def test_any_text_saved_as_utf8_reads_back(text: str) -> None:
    assert decode_text(text.encode("utf-8"), "x").text == text.removeprefix("\ufeff")


def test_a_publishers_own_fallback_replaces_cp932() -> None:
    data = "Café Nuñez\n".encode("cp1252")
    assert decode_text(data, "sdn.csv", fallbacks=("cp1252",)).encoding == "cp1252"
    with pytest.raises(TextEncodingError) as caught:
        decode_text(b"ok\n\x81bad", "sdn.csv", fallbacks=())
    assert caught.value.line == 2 and "0x81" in str(caught.value) and "CP932" not in str(caught.value)


def test_the_line_counts_from_the_start_even_after_a_bom() -> None:
    with pytest.raises(TextEncodingError) as caught:
        decode_text(b"\xef\xbb\xbfid,name\n1,\xff\xfe\n", "names.csv")
    assert caught.value.line == 2 and "offset 13" in str(caught.value)
