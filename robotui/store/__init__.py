"""Conversation history (placeholder until the store lands)."""
