"""Search backends, one module each, all implementing `base.SearchBackend`."""
