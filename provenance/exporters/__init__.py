"""Built-in exporters: CSV (one row per mention) and JSON (claims with nested mentions)."""
