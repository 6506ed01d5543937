"""Rules of stages 8-10, free of frameworks."""
