"""Output formats, one module each, over the public document dict (never a query)."""
