"""kg: key-task documents of Chinese governments as a knowledge graph."""

__version__ = "0.1.0"
