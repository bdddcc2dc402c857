"""Implementation of :mod:`openmodel_gov.compliance` (private; import from the public module)."""
