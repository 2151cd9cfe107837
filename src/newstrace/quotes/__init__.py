"""Quote detection and speaker attribution: who said what, with the cue, the speaker's name and the date."""

from .extract import QUOTES_VERSION, QuoteSpan, extract_quotes

__all__ = ["QUOTES_VERSION", "QuoteSpan", "extract_quotes"]
