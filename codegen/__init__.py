"""The kis-async code generator: spec/*.yaml → kis_async/ modules and docs/endpoints.md."""
