"""The one text reader: encodings as instruments write them, binary files and folders refused."""

import pytest

from weakloc.errors import InputError
from weakloc.io import read_text


def test_latin1_degree_sign_is_read_and_named(tmp_path):
    f = tmp_path / "ppms.csv"
    f.write_bytes("Temperature (\xb0K),Field (Oe)\n2.0,100\n".encode("latin-1"))
    text, enc = read_text(f)
    assert "\u00b0K" in text
    assert enc == "cp1252"


def test_utf8_with_bom(tmp_path):
    f = tmp_path / "bom.csv"
    f.write_bytes("\ufeffB,R\n0,1\n".encode("utf-8"))
    text, enc = read_text(f)
    assert text.startswith("B,R") and enc == "utf-8"


@pytest.mark.parametrize("make", ["binary", "folder", "missing"])
def test_refused_with_input_error(tmp_path, make):
    p = tmp_path / "x"
    if make == "binary":
        p.write_bytes(b"PK\x03\x04\x00\x00junk")
    elif make == "folder":
        p.mkdir()
    with pytest.raises(InputError, match=str(p.name)):
        read_text(p)
