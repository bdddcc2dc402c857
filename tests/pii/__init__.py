"""Tests of the PII primitive (``openmodel_gov.pii``)."""
