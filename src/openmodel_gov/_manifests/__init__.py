"""Implementation of :mod:`openmodel_gov.manifests` and :mod:`openmodel_gov.signing`."""
