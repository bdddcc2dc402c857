"""The package version, in one place (read by the root, the CLI and the reports)."""

__version__ = "0.1.0.dev0"
