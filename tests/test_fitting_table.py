"""The shared table reader: headerless files, column numbers, PPMS exports, decimal commas,
row layout, value units and temperatures from file names."""

import json

import numpy as np
import pytest

from weakloc.cli import main
from weakloc.errors import InputError
from weakloc.fitting.data import load_curves, prepare_curve
from weakloc.fitting.table import read_columns, read_table, temperature_from_name, to_si
from weakloc.theory.magnetoconductance import hln
from weakloc.units import E2_OVER_H, G0

B = np.linspace(-0.1, 0.1, 101)
SIG0 = 1e-3
DS = hln(B, 1.0, 300e-9)


def _same(c, rtol=1e-9):
    """The prepared sigma(B) = dsigma + sigma(0) equals the one written to the file."""
    np.testing.assert_allclose(c.dsigma + c.sigma0, SIG0 + hln(c.field, 1.0, 300e-9),
                               rtol=rtol, atol=0)


def test_headerless_file_columns_by_number(tmp_path):
    # today's main: "duplicate column names in the header [480 numbers]"
    p = tmp_path / "raw.txt"
    p.write_text("\n".join(f"{b:.9g} 4.2 {r:.12g}" for b, r in zip(B, 1 / (SIG0 + DS))))
    t = read_table(p)
    assert t.names == ("1", "2", "3") and "no header line" in " ".join(t.steps)
    np.testing.assert_allclose(t[3], 1 / (SIG0 + DS), rtol=1e-11)
    np.testing.assert_array_equal(t["1"], t[1])
    c = load_curves(p, field=1, value="3", quantity="sheet-resistance")[0]
    _same(c)


def test_header_columns_by_number_and_bad_number(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("B (T),R (Ohm)\n0.1,5\n-0.1,6\n")
    t = read_table(p)
    assert t.resolve(2) == "R (Ohm)" and t.resolve("r (ohm)") == "R (Ohm)"
    with pytest.raises(InputError, match="count from 1 to 2"):
        t.resolve(3)
    with pytest.raises(InputError, match="count from 1"):
        t.resolve(0)


def test_quantum_design_dat(tmp_path):
    head = ("[Header]\n; PPMS export\nTITLE,sample A\nBYAPP,ResistivityOption\n"
            "INFO,Bridge 1 excitation = 10 uA\n[Data]\n")
    names = ("Comment,Time Stamp (sec),Temperature (K),Magnetic Field (Oe),"
             "Bridge 1 Resistance (Ohms)")
    rows = [f",{100 + i},2.0,{b * 1e4:.8g},{1 / (SIG0 + d):.12g}"
            for i, (b, d) in enumerate(zip(B, DS))]
    p = tmp_path / "run.dat"
    p.write_text(head + names + "\n" + "\n".join(rows) + "\n", encoding="cp1252")
    t = read_table(p)
    assert "Magnetic Field (Oe)" in t and "[Data]" in " ".join(t.steps)
    assert np.all(np.isnan(t["Comment"]))
    cs = load_curves(p, field="Magnetic Field (Oe)", value="Bridge 1 Resistance (Ohms)",
                     temperature="Temperature (K)", field_unit="Oe",
                     quantity="sheet-resistance")
    assert len(cs) == 1 and cs[0].temperature == 2.0
    _same(cs[0])


def test_decimal_commas_and_semicolons(tmp_path):
    p = tmp_path / "eu.csv"
    lines = ["B;R"] + [f"{b:.6f};{r:.9f}".replace(".", ",") for b, r in zip(B, 1 / (SIG0 + DS))]
    p.write_text("\n".join(lines), encoding="cp1252")
    t = read_table(p)
    assert "decimal commas" in " ".join(t.steps)
    np.testing.assert_allclose(t["B"], B, atol=1e-6)
    # tab-separated decimal commas, headerless
    q = tmp_path / "eu.tsv"
    q.write_text("1,5\t2,25\n-3,0e-2\t4\n")
    np.testing.assert_array_equal(read_table(q)[2], [2.25, 4.0])
    np.testing.assert_array_equal(read_table(q)[1], [1.5, -0.03])


def test_rows_layout(tmp_path):
    p = tmp_path / "rows.csv"
    p.write_text("B," + ",".join(f"{b:.9g}" for b in B) + "\n"
                 "G," + ",".join(f"{g:.12g}" for g in (SIG0 + DS) / E2_OVER_H) + "\n")
    cs = load_curves(p, field="B", value="G", layout="rows", quantity="sheet-conductance",
                     value_unit="e2/h")
    _same(cs[0])
    p.write_text("1,2,3\n4,5\n")
    with pytest.raises(InputError, match="different numbers of values"):
        read_table(p, layout="rows")


@pytest.mark.parametrize("unit,factor,kind", [
    ("S", 1.0, "S"), ("mS", 1e-3, "S"), ("uS", 1e-6, "S"), ("e2/h", E2_OVER_H, "S"),
    ("2e2/h", 2 * E2_OVER_H, "S"), ("G0", G0, "S"), ("Ohm", 1.0, "Ohm"), ("kOhm", 1e3, "Ohm"),
    ("MOhm", 1e6, "Ohm")])
def test_value_units_give_the_same_curve(unit, factor, kind):
    sig = SIG0 + DS
    if kind == "S":
        c = prepare_curve(B, sig / factor, quantity="sheet-conductance", value_unit=unit)
    else:
        c = prepare_curve(B, 1 / sig / factor, quantity="sheet-resistance", value_unit=unit)
    _same(c)
    assert G0 == pytest.approx(E2_OVER_H / np.pi, rel=1e-15)


def test_lock_in_voltage_with_current():
    current = 1e-7
    v = current * 2.0 / (SIG0 + DS)  # bar L/W = 2
    c = prepare_curve(B, v, quantity="resistance", aspect=2.0, value_unit="V", current=current)
    _same(c)
    with pytest.raises(InputError, match="current=..."):
        prepare_curve(B, v, quantity="resistance", aspect=2.0, value_unit="V")
    with pytest.raises(InputError, match="is a resistance"):
        prepare_curve(B, v, quantity="dsigma", value_unit="kOhm")
    with pytest.raises(InputError, match="unknown value unit"):
        to_si(v, "furlong")


def test_reader_still_importable_from_its_first_home():
    from weakloc.fitting import data, table

    assert data.read_columns is table.read_columns and data.read_table is table.read_table


def test_read_columns_for_other_analyses(tmp_path):
    p = tmp_path / "ucf.txt"
    p.write_text("# gate sweep\nVg B_mT G_uS T_mK\n" +
                 "\n".join(f"{v} {b} {g} 300" for v, b, g in [(1, 5, 2.0), (2, 6, 3.0)]))
    cols = read_columns(p, {"field": "B_mT", "value": 3, "temperature": "T_mK", "gate": 1},
                        units={"field": "mT", "value": "uS", "temperature": "mK"})
    np.testing.assert_allclose(cols["field"], [5e-3, 6e-3])
    np.testing.assert_allclose(cols["value"], [2e-6, 3e-6])
    np.testing.assert_allclose(cols["temperature"], [0.3, 0.3])
    assert cols.units == {"field": "T", "value": "S", "temperature": "K", "gate": ""}
    assert cols.names["value"] == "G_uS" and any("G_uS" in s for s in cols.steps)
    assert json.loads(json.dumps(cols.as_dict()))["units"]["value"] == "S"


@pytest.mark.parametrize("name,T", [("MR_1.5K.dat", 1.5), ("run_300mK.csv", 0.3),
                                    ("T=4p2K.txt", 4.2), ("sample_B.csv", None),
                                    ("2K_to_4K.csv", None)])
def test_temperature_from_name(name, T):
    got = temperature_from_name(name)
    assert got == (None if T is None else pytest.approx(T))


def test_nan_and_non_positive_temperatures_refused(tmp_path):
    # today's main drops the NaN-temperature rows without a word and accepts T <= 0
    p = tmp_path / "t.csv"
    rows = [f"{T},{b},{1 / (SIG0 + d)}" for T in ("1.0", "nan") for b, d in zip(B, DS)]
    p.write_text("T,B,R\n" + "\n".join(rows))
    with pytest.raises(InputError, match="no temperature"):
        load_curves(p, field="B", value="R", temperature="T", quantity="sheet-resistance")
    p.write_text("T,B,R\n" + "\n".join(r.replace("nan", "-1") for r in rows))
    with pytest.raises(InputError, match="<= 0 K"):
        load_curves(p, field="B", value="R", temperature="T", quantity="sheet-resistance")


def test_cli_headerless_files_with_units_and_names(tmp_path, capsys):
    files = []
    for T, lp in ((1.5, 400e-9), (3.0, 280e-9), (6.0, 200e-9)):
        ds = hln(B, 1.0, lp)
        p = tmp_path / f"MR_{T}K.txt"
        p.write_text("\n".join(f"{b * 1e3:.9g};{(SIG0 + d) * 1e3:.12g}".replace(".", ",")
                               for b, d in zip(B, ds)))
        files.append(str(p))
    rc = main(["fit", *files, "--model", "hln", "--field", "1", "--value", "2",
               "--field-unit", "mT", "--quantity", "sheet-conductance", "--value-unit", "mS",
               "--temperatures", "names", "--zero", "point", "--json"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    doc = json.loads(out)
    assert [f["temperature"] for f in doc["fits"]] == [1.5, 3.0, 6.0]
    lp = [f["parameters"]["l_phi"]["value"] for f in doc["fits"]]
    np.testing.assert_allclose(lp, [400e-9, 280e-9, 200e-9], rtol=1e-4)
    rc = main(["fit", files[0], "--model", "hln", "--field", "1", "--value", "2",
               "--value-unit", "V"])
    out, err = capsys.readouterr()
    assert rc == 2 and err.count("\n") == 1 and "--current" in err
