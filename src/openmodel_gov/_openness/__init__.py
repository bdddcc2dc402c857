"""Private implementation of :mod:`openmodel_gov.openness`."""
