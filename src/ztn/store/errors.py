"""Store-level failures the domain may react to, free of driver types."""


class UniqueViolation(Exception):
    """A write broke a unique or primary-key constraint (e.g. a domain already taken)."""


class StoreUnavailable(Exception):
    """The database could not serve the statement right now (locked past the busy timeout, connection
    lost, server down). Retryable: the API answers UNAVAILABLE, never INTERNAL."""
