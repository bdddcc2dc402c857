"""Implementation of :mod:`openmodel_gov.audit` (private)."""
