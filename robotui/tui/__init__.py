"""The Textual app: `robotui` with no command."""
