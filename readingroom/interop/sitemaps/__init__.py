"""Sitemaps (sitemaps.org 0.9): written by a background task into the data directory
(`writer`), served from there (`views`) with what changed since corrected on the way."""
