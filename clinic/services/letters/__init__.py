"""Letters: writing one from a person and a type, and filing its exact PDF."""
