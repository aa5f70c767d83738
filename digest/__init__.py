"""digest: turn saved articles, newsletters and feeds into a themed weekly email digest."""

__version__ = "0.1.0"
