"""CLI command groups. Each module exposes ``register(app)`` and stays a thin adapter over a core package."""
