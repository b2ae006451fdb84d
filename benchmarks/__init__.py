"""Benchmarks for kis-async: ``python -m benchmarks`` (``make bench``) prints one table of ratios
measured in the same run and rewrites ``docs/benchmarks.md``.

One module per measurement (:mod:`overhead`, :mod:`structuring`, :mod:`ratelimit`,
:mod:`startup`, :mod:`codegen_time`, :mod:`peer`, :mod:`realtime`), collected as
:class:`~benchmarks._report.Row` values. The KIS server they talk to runs in a child process (:mod:`benchmarks._server`): the
project's sandbox when it is importable, else a minimal stand-in serving tokenP and credit-balance.
"""
