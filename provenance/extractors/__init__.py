"""Built-in extractors: direct quotes, reported speech and attributions, and figures."""
