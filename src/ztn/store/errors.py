"""Store-level failures the domain may react to, free of driver types."""


class UniqueViolation(Exception):
    """A write broke a unique or primary-key constraint (e.g. a domain already taken)."""
