"""Where the CLI's credentials and environment come from: flags, environment variables, config file.

Precedence, highest first: ``--env`` → ``KIS_*`` environment variables → the config file's table
for the environment (``[real]``/``[paper]``) → the config file's top level. The config file
(``$XDG_CONFIG_HOME/kis-async/config.toml``, default ``~/.config/kis-async/config.toml``) holds the
app secret, so it is refused unless only its owner can read it (mode 0600)::

    env = "paper"                 # default environment: real | paper | sandbox
    account = "12345678-01"

    [paper]
    app_key = "PSxxxxxxxx"
    app_secret = "…"

    [real]
    app_key = "PSyyyyyyyy"
    app_secret = "…"
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from kis_async._config import ENVIRONMENTS as CLIENT_ENVIRONMENTS
from kis_async._config import SANDBOX_APP_KEY, SANDBOX_APP_SECRET, EnvironmentName
from kis_async._errors import KisConfigError

CliEnv = EnvironmentName
#: ``--env``, ``KIS_ENV`` and the config file's ``env`` take the values KisClient does.
ENVIRONMENTS: tuple[CliEnv, ...] = tuple(CLIENT_ENVIRONMENTS)  # type: ignore[arg-type]

#: Config keys → the environment variable that overrides each (as KisClient.from_env reads them).
KEYS: dict[str, str] = {
    "app_key": "KIS_APP_KEY",
    "app_secret": "KIS_APP_SECRET",
    "account": "KIS_ACCOUNT",
    "base_url": "KIS_BASE_URL",
    "token_cache": "KIS_TOKEN_CACHE",
}


def _masked(value: str | None) -> str:
    return "None" if value is None else "'********'"


@attrs.frozen
class Settings:
    """What a command needs to build a client."""

    env: CliEnv
    app_key: str | None = None
    app_secret: str | None = attrs.field(default=None, repr=_masked)
    account: str | None = None
    base_url: str | None = None
    token_cache: str | None = None
    config_path: Path | None = None
    """The config file that was read, if any."""
    sources: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    """Where each value came from (``KIS_APP_KEY``, ``…/config.toml [paper]``, ``--env``)."""

    def describe(self) -> list[tuple[str, str, str]]:
        """(setting, value, source) for ``kis-async config``; the secret is never shown."""
        rows: list[tuple[str, str, str]] = [("env", self.env, self.sources.get("env", ""))]
        for key in KEYS:
            value = getattr(self, key)
            if value and key == "app_secret":
                value = "set (hidden)"
            elif value and key == "app_key":
                value = f"{value[:4]}…"
            rows.append((key, value or "", self.sources.get(key, "")))
        return rows

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``KisClient`` (credentials included) for ``real``/``paper``, and
        for ``sandbox`` when ``base_url`` names a running one (else the CLI starts its own)."""
        if self.env == "sandbox":
            if not self.base_url:
                raise KisConfigError("the sandbox makes its own client")
            return {
                "app_key": self.app_key or SANDBOX_APP_KEY,
                "app_secret": self.app_secret or SANDBOX_APP_SECRET,
                "env": "sandbox",
                "account": self.account,
                "base_url": self.base_url,
            }
        missing = [k for k in ("app_key", "app_secret") if not getattr(self, k)]
        if missing:
            path = self.config_path or default_config_path()
            raise KisConfigError(
                f"--env {self.env} needs credentials: set {' and '.join(KEYS[k] for k in missing)} "
                f"in the environment, or {' and '.join(missing)} in {path} (or try --env sandbox)"
            )
        kwargs: dict[str, Any] = {
            "app_key": self.app_key,
            "app_secret": self.app_secret,
            "env": self.env,
            "account": self.account,
            "base_url": self.base_url,
        }
        if self.token_cache:
            kwargs["token_cache"] = self.token_cache
        return kwargs


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kis-async" / "config.toml"


def load_settings(
    env: str | None = None,
    config: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve the settings for one command. ``config`` is ``--config`` (else ``KIS_CONFIG``)."""
    environ = os.environ if environ is None else environ
    explicit = config or environ.get("KIS_CONFIG") or None
    path = Path(explicit).expanduser() if explicit else default_config_path(environ)
    table: dict[str, Any] = {}
    if path.exists():
        table = read_config(path)
    elif explicit:
        raise KisConfigError(f"config file {path} does not exist")
    candidates = [(env, "--env"), (environ.get("KIS_ENV"), "KIS_ENV"), (table.get("env"), f"{path}")]
    chosen, env_source = next(((v, where) for v, where in candidates if v), ("real", "default"))
    if chosen not in ENVIRONMENTS:
        raise KisConfigError(
            f"environment ({env_source}) must be one of {' | '.join(ENVIRONMENTS)}, got {chosen!r}"
        )
    values: dict[str, str | None] = {}
    sources = {"env": env_source}
    section = table.get(chosen, {}) if chosen != "sandbox" else {}  # a sandbox needs no credentials
    for key, variable in KEYS.items():
        for value, where in (
            (environ.get(variable), variable),
            (section.get(key), f"{path} [{chosen}]"),
            (table.get(key), f"{path}"),
        ):
            if value:
                values[key], sources[key] = value, where
                break
        else:
            values[key] = None
    return Settings(env=chosen, config_path=path if table else None, sources=sources, **values)


def read_config(path: Path) -> dict[str, Any]:
    """Read and check the config file: private mode, known keys, string values."""
    _check_private(path)
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise KisConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise KisConfigError(f"{path}: cannot read: {exc.strerror}") from None
    _check_keys(path, table, allowed={"env", "real", "paper", *KEYS}, where="")
    env = table.get("env")
    if env is not None and env not in ENVIRONMENTS:
        raise KisConfigError(f"{path}: env must be one of {', '.join(ENVIRONMENTS)}, got {env!r}")
    for section in ("real", "paper"):
        if section in table:
            if not isinstance(table[section], dict):
                raise KisConfigError(f"{path}: [{section}] must be a table of settings")
            _check_keys(path, table[section], allowed=set(KEYS), where=f"[{section}] ")
    return table


def _check_private(path: Path) -> None:
    try:
        info = path.stat()
    except OSError as exc:
        raise KisConfigError(f"{path}: cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block the read forever
        raise KisConfigError(f"{path} is not a regular file")
    if os.name != "posix":
        return
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise KisConfigError(
            f"{path} is accessible by other users (mode {mode:04o}) and holds your app secret; "
            f"run: chmod 600 {path}"
        )


def _check_keys(path: Path, table: Mapping[str, Any], *, allowed: set[str], where: str) -> None:
    for key, value in table.items():
        if key not in allowed:
            raise KisConfigError(
                f"{path}: {where}unknown setting {key!r}; known: {', '.join(sorted(allowed))}"
            )
        if key not in ("real", "paper") and not isinstance(value, str):
            # the value itself is not shown: it may be the secret
            raise KisConfigError(
                f"{path}: {where}{key} must be a quoted string, got a {type(value).__name__}"
            )
