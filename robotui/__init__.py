"""robotui: a terminal app, a client library and a local server for Robocoders.ai agents."""

__version__ = "0.1.0"
