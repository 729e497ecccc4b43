"""The portal's domain: posts, registries and the published collection.

Nothing here imports MkDocs, so the domain can be tested alone and can move to
another site generator by replacing only the thin adapter in ``hooks/`` (and
``mkdocs_child``, the process ``newsroom build`` runs MkDocs' command line in).
"""
