"""Medical test fixtures; the builders they use are in ``builders.py``."""
