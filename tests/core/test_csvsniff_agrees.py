"""The column sniffer decodes a file's head as the CSV reader decodes the file:
what read_csv refuses at its start, sniff_columns refuses with the same message."""

from __future__ import annotations

import codecs

import pytest

from gmmviz.core.io.csv_read import read_csv
from gmmviz.core.io.csv_preview import HEAD_BYTES, sniff_columns
from gmmviz.core.errors import FileFormatError


def refusal(read, source) -> str:
    with pytest.raises(FileFormatError) as info:
        read(source)
    return str(info.value)


@pytest.mark.parametrize("content", [
    codecs.BOM_UTF8 + b"x,y\n1,2\n",
    codecs.BOM_UTF16_LE + "x,y\n1,2\n".encode("utf-16-le"),
    "x,y\n1,2\n".encode("utf-16-le"),  # no BOM: NUL bytes
    b"x,y\n1,2\n\xe9,3\n",  # Latin-1
    b"",
    b" \n\t\r\n",
], ids=["utf8-bom", "utf16-bom", "utf16", "latin1", "empty", "blank"])
def test_the_sniffer_refuses_what_the_reader_refuses_with_the_same_message(tmp_path, content):
    path = tmp_path / "points.csv"
    path.write_bytes(content)
    message = refusal(read_csv, path)
    assert refusal(sniff_columns, path) == message
    assert refusal(sniff_columns, content) == message


def test_a_bom_is_refused_by_the_sniffer_as_by_the_reader(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"x,y,label\n1,2,a\n3,4,b\n")
    message = refusal(sniff_columns, path)
    assert message == refusal(read_csv, path)
    assert message.startswith("line 1 starts with a UTF-8 byte-order mark (BOM)")


@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_the_head_is_cut_at_a_line_end_never_inside_a_character(eol):
    header, row = b"x,y,label" + eol, b"1,2,caf\xc3\xa9" + eol
    rows = row * (HEAD_BYTES // len(row) + 2)
    # Blank lines first, so that the 'é' of a row straddles the end of the head that is looked at.
    content = next(c for pad in range(len(row)) if (c := eol * pad + header + rows)[HEAD_BYTES - 1] == 0xC3)
    guess = sniff_columns(content)
    assert guess.names == ("x", "y", "label") and guess.preview[0] == ("1", "2", "café")
    assert read_csv(content).n_rows == len(rows) // len(row)


def test_a_head_of_one_long_line_is_not_cut_inside_a_character():
    content = b"x,y,l" + b"\xc3\xa9" * HEAD_BYTES + b"\n1,2,3\n"  # no line end in the head
    assert content[HEAD_BYTES - 1] == 0xC3
    assert sniff_columns(content).names[:2] == ("x", "y")
