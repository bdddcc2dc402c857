"""Fuzz targets (issue 20): only typed errors escape any loader, parser or CLI call."""
