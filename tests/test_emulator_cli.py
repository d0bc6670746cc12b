"""`robotui emulator`: arguments, errors, and a real run stopped with Ctrl+C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from robotui.cli import main

ROOT = Path(__file__).parents[1]


def test_unknown_fault_is_a_one_line_usage_error(capsys):
    assert main(["emulator", "--faults", "drop,teapot"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown fault 'teapot' (known: 401, 422, 429")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("option", "value"), [("--port", "70000"), ("--token-ttl", "0"), ("--speed", "-1")]
)
def test_bad_numbers_are_usage_errors(capsys, option, value):
    assert main(["emulator", option, value]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_port_in_use_is_one_line_and_exit_1(capsys):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["emulator", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot listen on 127.0.0.1:{port}:")
    assert "Traceback" not in err and err.count("\n") == 1


def test_importing_the_emulator_does_not_load_the_server():
    code = (
        "import sys, robotui.cli, robotui.emulator, robotui.emulator.cli\n"
        "robotui.cli.build_parser()\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_serves_logs_requests_and_stops_cleanly_on_ctrl_c():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from robotui.cli import run; run()",
            "emulator",
            "--port",
            str(port),
            "--speed",
            "0",
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        # The banner comes once the socket listens: from then on, connections queue.
        banner = process.stderr.readline()
        assert f"http://127.0.0.1:{port}" in banner
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            page = http.get("/auth")
            token = page.text.split('<pre id="token">')[1].split("</pre>")[0].strip()
            http.get("/create-session", headers={"Authorization": f"Bearer {token}"})
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 0
    lines = rest.splitlines()
    assert any(line.split()[1:4] == ["GET", "/auth", "200"] for line in lines)
    assert any(line.split()[1:4] == ["GET", "/create-session", "200"] for line in lines)
    assert token not in rest  # at most a fingerprint of it
    assert lines[-1] == "emulator stopped"
