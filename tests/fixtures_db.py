"""Database fixtures (owned by the store work): SQLite by default, PostgreSQL with ZTN_TEST_BACKEND=postgres."""
