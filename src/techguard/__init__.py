"""techguard: restricted-party screening and export-control determinations (US EAR, Japan FEFTA)."""

from techguard import native

__version__ = "0.1.0"

# before any compiled module can load: a module compiled from an older source is refused, never run
native.check()

__all__ = ["__version__"]
