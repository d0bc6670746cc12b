"""The local Robocoders server (placeholder until the emulator lands)."""
