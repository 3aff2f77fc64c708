"""Plain-Python jobs over a database session and a clock; no UI here."""
