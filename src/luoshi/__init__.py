"""落实 luoshi: from speech to supervised task ledger."""
__version__ = "0.1.0"
