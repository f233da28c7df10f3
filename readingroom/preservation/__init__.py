"""Fixity, BagIt packages and backups (a later issue)."""
