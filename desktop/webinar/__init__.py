"""The webinar lifecycle: one go-live state machine per occurrence, its journal, recovery."""
