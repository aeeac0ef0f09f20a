"""A real Virtuoso (Debian's virtuoso-opensource) on loopback, with a temporary database, for the tests."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.live import free_port

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"
INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {db}
[HTTPServer]
ServerPort = {http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@contextmanager
def virtuoso(folder: Path) -> Iterator[str]:
    """Start Virtuoso with a fresh database in `folder`; yield its SPARQL endpoint; stop it afterwards.

    The anonymous SPARQL user is granted SPARQL_UPDATE, which is what a loopback test needs; a deployment
    would use an authenticated endpoint (/sparql-auth) with POLICYKG_STORE_USER and POLICYKG_STORE_PASSWORD.
    """
    if not Path(VIRTUOSO).exists():
        raise RuntimeError("Virtuoso is not installed: apt-get install virtuoso-opensource (.ci/run does)")
    db = folder / "db"
    db.mkdir(parents=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(db=db, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    with open(folder / "out.log", "w") as log:
        process = subprocess.Popen([VIRTUOSO, "-f", "-c", str(ini)], stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait(endpoint, process, folder)
        grant = 'grant SPARQL_UPDATE to "SPARQL";'
        subprocess.run(
            [ISQL, str(sql_port), "dba", "dba", f"exec={grant}"], check=True, capture_output=True, timeout=60
        )
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(endpoint: str, process: subprocess.Popen[bytes], folder: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Virtuoso exited with {process.returncode}: {(folder / 'out.log').read_text()[-2000:]}")
        try:
            if httpx.get(endpoint, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"Virtuoso did not answer on {endpoint} within {seconds} s")
