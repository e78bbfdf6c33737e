"""Project keys and check identifiers (spec §0.3, §2.1)."""

from __future__ import annotations

import re
import uuid

from ztn.domain.hc.keys import key_digest, key_prefix, new_api_key, new_ping_key, new_uuid, unique_key

URL_SAFE = re.compile(r"[A-Za-z0-9_-]+\Z")


def test_read_write_keys_are_hcw_plus_28_url_safe_characters() -> None:
    key = new_api_key(read_only=False)
    assert key.startswith("hcw_") and len(key) == 32
    assert URL_SAFE.match(key[4:]) and len(key[4:]) == 28


def test_read_only_keys_are_hcr_plus_28_url_safe_characters() -> None:
    key = new_api_key(read_only=True)
    assert key.startswith("hcr_") and len(key) == 32
    assert URL_SAFE.match(key[4:])


def test_keys_are_random() -> None:
    assert len({new_api_key(False) for _ in range(50)}) == 50


def test_digest_is_hmac_sha256_hex_keyed_with_the_secret() -> None:
    # The well-known vector (Wikipedia, "HMAC"): HMAC-SHA256("key", "The quick brown fox ...").
    expected = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
    assert key_digest("key", "The quick brown fox jumps over the lazy dog") == expected


def test_digest_depends_on_secret_and_key() -> None:
    key = new_api_key(False)
    assert key_digest("s1", key) != key_digest("s2", key)
    assert key_digest("s1", key) != key_digest("s1", new_api_key(False))


def test_prefix_is_the_first_8_secret_characters() -> None:
    assert key_prefix("hcw_abcdefghijklmnopqrstuvwxyz01") == "abcdefgh"
    assert key_prefix("hcr_ABCDEFGHijklmnopqrstuvwxyz01") == "ABCDEFGH"
    assert key_prefix("0123456789abcdef0123456789abcdef") == "01234567"  # a legacy plain key


def test_ping_keys_are_22_url_safe_characters() -> None:
    key = new_ping_key()
    assert len(key) == 22 and URL_SAFE.match(key)
    assert key != new_ping_key()


def test_new_uuid_is_a_canonical_random_uuid() -> None:
    value = new_uuid()
    assert str(uuid.UUID(value)) == value
    assert uuid.UUID(value).version == 4


def test_unique_key_spec_example() -> None:
    code = "1e57da6a-a3af-4218-9b3c-000000000000"  # only the first 16 hex digits count
    assert unique_key(code) == "7fb0f77afa25c846eac4d39708ad3b78d6fe4142"


def test_unique_key_ignores_the_last_half_of_the_uuid() -> None:
    assert unique_key("1e57da6a-a3af-4218-ffff-ffffffffffff") == unique_key(
        "1e57da6a-a3af-4218-0000-000000000000"
    )
    assert unique_key("1e57da6a-a3af-4219-0000-000000000000") != unique_key(
        "1e57da6a-a3af-4218-0000-000000000000"
    )
