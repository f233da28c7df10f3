"""The catalogue: documents and everything they link to; the source of truth."""
