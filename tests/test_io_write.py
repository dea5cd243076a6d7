"""The one writer: atomic for regular files, written through for links, pipes and devices,
one-line typed errors naming the path and the cause, no partial file left behind.

The tests use the real things: a named pipe with a reader on the other end, a symbolic
link, ``/dev/full`` (every write fails with ENOSPC) and a folder the test process cannot
write to (a read-only tmpfs or an immutable folder when running as root, where the mode
bits alone stop nobody; the mode bits otherwise).
"""

import errno
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from weakloc.cli import main
from weakloc.errors import InputError, ResourceError
from weakloc.io import check_writable, write_bytes, write_error, write_json, write_text

HLN = ["theory", "hln", "--alpha", "1", "--l-phi", "1e-7", "--bmax", "1", "--points", "5"]


def test_regular_file_is_replaced_atomically_with_usual_permissions(tmp_path):
    f = tmp_path / "new" / "sub" / "out.txt"
    write_text(f, "first")
    assert f.read_text() == "first"
    mode = stat.S_IMODE(f.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask          # not mkstemp's 0600
    os.chmod(f, 0o640)
    write_text(f, "second")
    assert f.read_text() == "second"
    assert stat.S_IMODE(f.stat().st_mode) == 0o640    # the old file's mode is kept
    assert sorted(p.name for p in f.parent.iterdir()) == ["out.txt"]   # no temporaries


def test_symlink_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "data" / "real.csv"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_text(link, "new")
    assert link.is_symlink()                       # still a link
    assert target.read_text() == "new"
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "data" / "later.csv")
    write_text(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "data" / "later.csv").read_text() == "made"


def test_named_pipe_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = {}

    def reader():
        with open(fifo, "rb") as fh:
            got["data"] = fh.read()

    t = threading.Thread(target=reader)
    t.start()
    write_bytes(fifo, b"through the pipe\n")
    t.join(timeout=10)
    assert got["data"] == b"through the pipe\n"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)     # still a pipe


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_dev_full_is_disk_full_and_stays_a_device():
    with pytest.raises(ResourceError, match=r"/dev/full.*disk full"):
        write_text("/dev/full", "x" * 100)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_disk_full_on_a_regular_file_leaves_no_partial_file(tmp_path, monkeypatch):
    # a real ENOSPC on a regular file needs a full file system; raise it where the writer
    # flushes, and check the cleanup and the message
    f = tmp_path / "out.json"
    f.write_text("old contents")
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ResourceError, match="disk full"):
        write_json(f, {"a": 1})
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert f.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_folder_given_as_file_and_path_through_a_file(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        write_text(tmp_path, "x")
    (tmp_path / "afile").write_text("")
    with pytest.raises(InputError, match="not a folder"):
        write_text(tmp_path / "afile" / "out.csv", "x")
    with pytest.raises(InputError, match="not a folder"):
        check_writable(tmp_path / "afile" / "out.csv")


@pytest.mark.parametrize("code,cause", [(errno.EACCES, "permission denied"),
                                        (errno.EROFS, "read-only"),
                                        (errno.ENOTDIR, "not a folder"),
                                        (errno.EISDIR, "is a folder")])
def test_error_mapping_is_one_line_naming_path_and_cause(code, cause):
    err = write_error("/x/y.csv", OSError(code, os.strerror(code)), "--csv")
    assert isinstance(err, InputError)
    assert "\n" not in str(err)
    assert str(err).startswith("--csv: cannot write /x/y.csv") and cause in str(err)


@pytest.fixture
def readonly_dir(tmp_path):
    """A folder this process cannot write into, whoever it runs as."""
    d = tmp_path / "ro"
    d.mkdir()
    if os.geteuid() != 0:
        d.chmod(0o555)
        yield d
        d.chmod(0o755)
        return
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(d)],
                       capture_output=True)
    if r.returncode == 0:
        yield d
        subprocess.run(["umount", str(d)], check=True)
        return
    if shutil.which("chattr") and subprocess.run(["chattr", "+i", str(d)],
                                                 capture_output=True).returncode == 0:
        yield d
        subprocess.run(["chattr", "-i", str(d)], check=True)
        return
    pytest.skip("root without mount or chattr: cannot make a read-only folder")


def test_read_only_folder(readonly_dir):
    target = readonly_dir / "out.csv"
    with pytest.raises(InputError, match=r"cannot write .*out\.csv: (permission|read-only)"):
        write_text(target, "x")
    assert not target.exists()
    with pytest.raises(InputError, match=r"--csv: cannot write"):
        check_writable(target, what="--csv")


def test_cli_output_errors_are_one_line_exit_2(tmp_path, capsys, readonly_dir):
    cases = [
        (["--csv", str(tmp_path)], "--csv: cannot write .*: is a folder"),
        (["--csv", str(readonly_dir / "c.csv")], "--csv: cannot write"),
        (["--csv", str(tmp_path / "x.csv" / "y.csv")], None),   # x.csv does not exist: fine
    ]
    for extra, pattern in cases:
        code = main(HLN + extra + ["--json"])
        captured = capsys.readouterr()
        if pattern is None:
            assert code == 0
            continue
        assert code == 2
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1 and captured.out == ""
        assert re.search(pattern, lines[0]), lines[0]


def test_cli_unknown_figure_extension_is_refused_before_computing(tmp_path, capsys):
    code = main(["cbs", "--kl", "10", "--photons", "100000000", "--seed", "1",
                 "--plot", str(tmp_path / "cone.xyz"), "--json"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert "--plot: unknown figure format '.xyz'" in err[0]


def test_cli_figure_format_follows_extension(tmp_path, capsys):
    import matplotlib.pyplot as plt

    from weakloc.plots import savefig

    fig = plt.figure()
    out = savefig(fig, tmp_path / "f.pdf")
    assert Path(out).read_bytes().startswith(b"%PDF")


def test_cli_csv_to_dev_stdout_in_a_subprocess(tmp_path):
    """``--csv /dev/stdout`` with stdout redirected to a file: the CSV and the JSON both land
    in the file, and the file stays the one the shell opened."""
    out = tmp_path / "both.txt"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1] / "src"))
    with open(out, "wb") as fh:
        r = subprocess.run([sys.executable, "-m", "weakloc", *HLN, "--csv", "/dev/stdout",
                            "--json"], stdout=fh, stderr=subprocess.PIPE, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    head, _, tail = text.partition("{")
    rows = head.splitlines()
    assert rows[0].startswith("B_T,dsigma") and len(rows) == 6     # header + 5 points
    assert json.loads("{" + tail)["inputs"]["csv"] == "/dev/stdout"
