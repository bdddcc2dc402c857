"""Implementation of :mod:`openmodel_gov.licenses` (private; import from the public module)."""
