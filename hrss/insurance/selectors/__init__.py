"""Reads of the insurance app, scoped by the caller; one module per area."""
