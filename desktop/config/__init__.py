"""Where Pupitre keeps things (paths) and what the user configured (settings)."""
