"""Implementation of ``openmodel_gov.cards`` (private)."""
