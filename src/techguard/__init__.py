"""techguard: restricted-party screening and export-control determinations (US EAR, Japan FEFTA)."""

__version__ = "0.1.0"

__all__ = ["__version__"]
