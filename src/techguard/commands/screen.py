"""CLI commands (placeholder until the owning package lands; registers nothing)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    del app
