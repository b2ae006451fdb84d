"""Start-up: ``python -c "import kis_async"`` (as shipped, and with 300 generated endpoints)
versus ``python -c "import aiohttp"``, and the time from process start to the first call result
versus the same call made with bare aiohttp. Wall time of whole processes, best of several runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._report import Row, skipped
from benchmarks._server import CREDIT_BALANCE_PATH, Server

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.3
CATEGORY = "domestic_stock"


def _endpoints_in(package_root: Path) -> int:
    """Endpoints of :data:`CATEGORY` in the package under ``package_root`` (from its registry)."""
    registry = (package_root / "kis_async" / "_registry.py").read_text(encoding="utf-8")
    return len(re.findall(rf'"[A-Z][A-Z0-9_]*",\s*"{CATEGORY}\.\w+"', registry))


_FIRST_CALL_SDK = """
import asyncio, sys
from kis_async import KisClient

async def main():
    async with KisClient(sys.argv[1], sys.argv[2], base_url=sys.argv[3], token_cache=None) as kis:
        ranking = await kis.domestic_stock.credit_balance(market="0000", period=5, sort="0")
        assert ranking.output2
asyncio.run(main())
"""

_FIRST_CALL_RAW = """
import asyncio, json, sys
import aiohttp

async def main():
    key, secret, url = sys.argv[1:4]
    async with aiohttp.ClientSession() as session:
        body = {"grant_type": "client_credentials", "appkey": key, "appsecret": secret}
        async with session.post(url + "/oauth2/tokenP", json=body) as response:
            token = json.loads(await response.read())["access_token"]
        headers = {"content-type": "application/json; charset=utf-8", "appkey": key, "appsecret": secret,
                   "custtype": "P", "authorization": "Bearer " + token, "tr_id": "FHKST17010000", "tr_cont": ""}
        params = {"FID_COND_SCR_DIV_CODE": "11701", "FID_INPUT_ISCD": "0000", "FID_OPTION": "5",
                  "FID_COND_MRKT_DIV_CODE": "J", "FID_RANK_SORT_CLS_CODE": "0"}
        async with session.get(url + sys.argv[4], params=params, headers=headers) as response:
            assert json.loads(await response.read())["output2"]
asyncio.run(main())
"""


#: One endpoint in each of five groups: (public name, arguments). Its first call from process start
#: is timed against the same request made with bare aiohttp (the sandbox answers both).
FIRST_CALLS: tuple[tuple[str, dict[str, object]], ...] = (
    ("domestic_stock.inquire_price", {"symbol": "005930"}),
    ("domestic_stock.credit_balance", {"market": "0000", "period": 5, "sort": "0"}),
    ("domestic_stock.financial_ratio", {"period": "0", "symbol": "005930"}),
    ("domestic_futureoption.inquire_price", {"market_division": "F", "symbol": "101W09"}),
    ("overseas_price.price", {"exchange": "NAS", "symbol": "AAPL"}),
)

_FIRST_CALL_SDK_ANY = """
import asyncio, json, sys
from kis_async import KisClient

async def main():
    namespace, name = sys.argv[4].split(".")
    async with KisClient(sys.argv[1], sys.argv[2], base_url=sys.argv[3], token_cache=None) as kis:
        answer = await getattr(getattr(kis, namespace), name)(**json.loads(sys.argv[5]))
        assert answer.rt_cd == "0", answer.msg1
asyncio.run(main())
"""

_FIRST_CALL_RAW_ANY = """
import asyncio, json, sys
import aiohttp

async def main():
    key, secret, url = sys.argv[1:4]
    method, path, tr_id, params = json.loads(sys.argv[5])
    async with aiohttp.ClientSession() as session:
        body = {"grant_type": "client_credentials", "appkey": key, "appsecret": secret}
        async with session.post(url + "/oauth2/tokenP", json=body) as response:
            token = json.loads(await response.read())["access_token"]
        headers = {"content-type": "application/json; charset=utf-8", "appkey": key, "appsecret": secret,
                   "custtype": "P", "authorization": "Bearer " + token, "tr_id": tr_id, "tr_cont": ""}
        async with session.request(method, url + path, params=params, headers=headers) as response:
            assert json.loads(await response.read())["rt_cd"] == "0"
asyncio.run(main())
"""


def _wire(dotted: str, args: dict[str, object]) -> str:
    """What bare aiohttp sends for ``dotted(**args)``: method, path, TR and query, as JSON."""
    import importlib

    from kis_async._registry import ENDPOINTS

    module, constant = next((m, c) for m, c, public in ENDPOINTS if public == dotted)
    endpoint = getattr(importlib.import_module(f"kis_async.{module}"), constant)
    return json.dumps(
        [endpoint.method, endpoint.path, endpoint.select_tr("real", args), endpoint.build_request(args)]
    )


def first_calls(server: Server, runs: int) -> list[Row]:
    """Process start to the first answer of one endpoint in each of five groups, SDK vs bare
    aiohttp; the worst ratio is the one that counts (target ≤ 1.3)."""
    if server.kind != "sandbox":
        return [skipped("first call from process start, five groups", f"≤ {TARGET}", "needs the sandbox")]
    argv = [server.app_key, server.app_secret, server.url]
    cases: list[tuple[list[str], Path]] = []
    for dotted, args in FIRST_CALLS:
        cases.append((["-c", _FIRST_CALL_SDK_ANY, *argv, dotted, json.dumps(args)], ROOT))
        cases.append((["-c", _FIRST_CALL_RAW_ANY, *argv, dotted, _wire(dotted, args)], ROOT))
    times = _best(cases, runs)
    rows = []
    for index, (dotted, _) in enumerate(FIRST_CALLS):
        sdk, raw = times[2 * index], times[2 * index + 1]
        rows.append(
            Row(
                f"first call from process start: {dotted}",
                f"{sdk * 1000:.0f} ms",
                f"{raw * 1000:.0f} ms (bare aiohttp)",
                sdk / raw,
                f"≤ {TARGET}",
                sdk / raw <= TARGET,
                f"token issue + the call; {server.kind}; best of {runs}",
            )
        )
    return rows


def _env(python_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIS_")}
    env["PYTHONPATH"] = str(python_path)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    # as installed: with bytecode (aiohttp's is in site-packages; without this every run of the
    # SDK would compile its modules from source while aiohttp's would not)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _best(cases: list[tuple[list[str], Path]], runs: int) -> list[float]:
    """Best wall time of each ``(argv, PYTHONPATH)`` process, the cases taking turns so that a
    busy spell on a shared machine hits them alike."""
    best = [float("inf")] * len(cases)
    for argv, python_path in cases:  # untimed: writes the bytecode an installed package has
        subprocess.run(
            [sys.executable, *argv], check=True, env=_env(python_path), capture_output=True, cwd=python_path
        )
    for _ in range(runs):
        for index, (argv, python_path) in enumerate(cases):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, *argv],
                check=True,
                env=_env(python_path),
                capture_output=True,
                cwd=python_path,
            )
            best[index] = min(best[index], time.perf_counter() - started)
    return best


def measure(server: Server | None, generated_root: Path | None, runs: int) -> list[Row]:
    packages = [("as shipped", ROOT)]
    if generated_root is not None:
        packages.append(("300 endpoints generated", generated_root))
    cases = [(["-c", "pass"], ROOT), (["-c", "import aiohttp"], ROOT)]
    cases += [(["-c", "import kis_async"], path) for _, path in packages]
    # The first call into a category imports the category module (its groups load on first use).
    cases += [(["-c", f"import kis_async.{CATEGORY}"], path) for _, path in packages]
    if server is not None:
        argv = [server.app_key, server.app_secret, server.url, CREDIT_BALANCE_PATH]
        cases += [(["-c", _FIRST_CALL_SDK, *argv], ROOT), (["-c", _FIRST_CALL_RAW, *argv], ROOT)]
    times = _best(cases, runs)
    bare, aiohttp_time = times[0], times[1]
    rows = []
    imports = times[2 : 2 + len(packages)]
    categories = times[2 + len(packages) : 2 + 2 * len(packages)]
    for (label, _), seconds in zip(packages, imports, strict=True):
        ratio = seconds / aiohttp_time
        rows.append(
            Row(
                f"import kis_async, {label}",
                f"{seconds * 1000:.0f} ms",
                f"{aiohttp_time * 1000:.0f} ms (import aiohttp)",
                ratio,
                f"≤ {TARGET}",
                ratio <= TARGET,
                f"bare interpreter {bare * 1000:.0f} ms; best of {runs}",
            )
        )
    if generated_root is None:
        rows.append(skipped("import kis_async, 300 endpoints generated", f"≤ {TARGET}", "codegen failed"))
    for (label, path), seconds in zip(packages, categories, strict=True):
        endpoints = _endpoints_in(path)
        rows.append(
            Row(
                f"first use of kis.{CATEGORY} ({endpoints} endpoints), {label}",
                f"{seconds * 1000:.0f} ms",
                f"{aiohttp_time * 1000:.0f} ms (import aiohttp)",
                seconds / aiohttp_time,
                "-",
                None,
                "import kis_async + the category module (endpoint modules load on first use)",
            )
        )
    if server is None:
        rows.append(skipped("process start to first call result", "-", "no server"))
        return rows
    sdk, raw = times[-2], times[-1]
    rows.append(
        Row(
            "process start to first call result",
            f"{sdk * 1000:.0f} ms",
            f"{raw * 1000:.0f} ms (aiohttp + json.loads)",
            sdk / raw,
            "-",
            None,
            f"token issue + credit-balance; {server.kind}; best of {runs}",
        )
    )
    return rows
