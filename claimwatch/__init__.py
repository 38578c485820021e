"""claimwatch: watch web sources for what they claim about a topic, and report claim changes.

The stages live in subpackages: ``crawler`` (fetch and extract), ``storage`` (SQLite),
``differ`` (pure claim extraction and diffing), ``alerts`` (hooks and outbox),
``scheduler`` (background runs) and ``report`` (renderers); this package holds the
application that chains them: configuration, pipeline and command line.
"""

__version__ = "0.1.0"
