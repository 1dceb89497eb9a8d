"""hrss: Internet + HR & Social Security platform."""
