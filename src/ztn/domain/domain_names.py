"""Instance domain names: validation and the generated ``<slug>-<random>.<base domain>`` name."""

from __future__ import annotations

import re
import secrets
import string

from ztn.domain.errors import invalid_argument

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
MAX_LENGTH = 253


def normalize_domain(domain: str) -> str:
    """Lowercase and validate a domain name; raises INVALID_ARGUMENT when it is not one."""
    value = domain.strip().lower()
    if not value:
        raise invalid_argument("INST-28nlD", "Domain must not be empty")
    if len(value) > MAX_LENGTH or not _DOMAIN.match(value):
        raise invalid_argument(
            "INST-s3v3w", "Domain is invalid: only letters, digits, hyphens and dots, at most 253 characters"
        )
    return value


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:40].rstrip("-") or "instance"


def generated_domain(instance_name: str, base_domain: str) -> str:
    suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(6))
    return normalize_domain(f"{slugify(instance_name)}-{suffix}.{base_domain}")
