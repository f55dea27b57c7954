"""The README's command for rerunning a chapter locally works after the README's install.

Starts JupyterLab headless exactly as the README says (plus --no-browser and a fixed token),
then checks, through the server's own REST and websocket API, that:

- a chapter's MyST ``.md`` opens as a notebook (jupytext's contents manager pairs it), and
- a kernel started by the server imports ``spinemets`` from this checkout.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

# heavy: starts a JupyterLab server and a kernel (CI runs it like every test)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "spinemets-test-token"
CHAPTER = "chapters/01_radiobiology.md"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, method: str = "GET", body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=20) as r:
        return json.loads(r.read() or b"{}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port = _free_port()
    home = tmp_path_factory.mktemp("jupyter-home")
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_DATA_DIR=str(home / "data"),
    )
    # The README's command, headless: `jupyter lab chapters/01_radiobiology.md`
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        CHAPTER,
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={TOKEN}",
        "--ServerApp.port_retries=0",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI runs as root; a reader's machine does not need this
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300  # a bound on waiting, not a speed claim: loaded CI
    while True:
        try:
            _get(f"{base}/api/status")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"JupyterLab did not start: {proc.stderr.read()[-2000:]}")
            time.sleep(0.3)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_chapter_markdown_opens_as_a_notebook(lab):
    # Given a file, the server's root is that file's folder (chapters/).
    model = _get(f"{lab}/api/contents/{Path(CHAPTER).name}?type=notebook&content=1")
    assert model["type"] == "notebook"
    cells = model["content"]["cells"]
    assert any(c["cell_type"] == "code" and "spinemets" in "".join(c["source"]) for c in cells)


def test_kernel_sees_spinemets(lab):
    from websocket import create_connection

    kernel = _get(f"{lab}/api/kernels", method="POST", body={"name": "python3"})
    ws = create_connection(
        f"{lab.replace('http', 'ws')}/api/kernels/{kernel['id']}/channels?token={TOKEN}", timeout=60
    )
    try:
        msg_id = uuid.uuid4().hex
        code = "import spinemets, spinemets.paths as p; print(spinemets.__version__, p.DATA_DIR)"
        ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": "test",
                        "session": uuid.uuid4().hex,
                        "msg_type": "execute_request",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                    },
                }
            )
        )
        out, status, idle = "", None, False
        deadline = time.monotonic() + 300  # a bound on waiting, not a speed claim: loaded CI
        while not (status and idle) and time.monotonic() < deadline:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out += msg["content"]["text"]
            elif kind == "error":
                pytest.fail(f"kernel error: {msg['content']['ename']}: {msg['content']['evalue']}")
            elif kind == "execute_reply":
                status = msg["content"]["status"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        assert status == "ok", out
        version, data_dir = out.split()
        assert Path(data_dir, "published", "choi2015.yaml").exists()
    finally:
        ws.close()
        _get(f"{lab}/api/kernels/{kernel['id']}", method="DELETE")
