"""Built-in matchers: exact normalised text, figures by value and context, and fuzzy text."""
