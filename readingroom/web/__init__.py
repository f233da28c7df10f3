"""What every public view shares over HTTP: its limits (`limits`), its caching policy
(`caching`) and its error answers (`errors`), HTML or JSON alike. Below reader and
interop, above the catalogue; it knows no page of its own."""
