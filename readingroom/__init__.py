"""Reading Room: publish declassified historical documents."""

__version__ = "0.1.0"
