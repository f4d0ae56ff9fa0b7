"""The package version, written into every master's 说明 sheet (a leaf: anything may import it)."""

__version__ = "0.1.0"
