"""Imports every format module so each registers itself. Add new format modules here."""
