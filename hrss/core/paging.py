"""Bounds of a page of a list operation, shared by every API so none answers a 500 for an
offset too large for the database's integers (found by the live API fuzz)."""

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
