"""An OAI-PMH 2.0 data provider at /oai: the six verbs over the public records.

`arguments` reads and checks a request, `listing` finds the records (a keyset on
(datestamp, record ID)), `sets` maps collections and repositories to set specs,
`tokens` signs resumption tokens and `responses` writes the XML; `views` joins them.
"""
