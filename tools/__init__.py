"""Developer tools run by the Makefile (schema fuzzing)."""
