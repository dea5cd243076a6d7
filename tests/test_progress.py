"""Progress outside a terminal: plain lines with the count, the rate and the time left."""

import io

from weakloc.progress import LogProgress, progress_bar


def test_log_lines_outside_a_terminal():
    buf = io.StringIO()
    bar = LogProgress(total=10, desc="sweep", unit="task", initial=2, every=0.0, stream=buf)
    bar.update(3)
    bar.update(5)
    bar.close()
    lines = buf.getvalue().splitlines()
    assert lines[0].startswith("sweep: 5/10 tasks (50%)")
    assert lines[1].startswith("sweep: 10/10 tasks (100%)")
    assert all("task/s" in line for line in lines)


def test_quiet_when_disabled_or_between_intervals(capsys):
    bar = progress_bar(10, desc="x", enabled=False)
    bar.update(10)
    bar.close()
    buf = io.StringIO()
    slow = LogProgress(10, desc="x", every=3600.0, stream=buf)
    slow.update(4)
    slow.close()
    assert buf.getvalue() == "" and capsys.readouterr().err == ""
