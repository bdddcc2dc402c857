"""Tests of openmodel_gov.interop (a package so its conftest has a module name of its own)."""
