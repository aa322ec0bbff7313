"""detente: news in; clean articles, stories, PLOVER events and relations between states out."""

__version__ = "0.1.0"
