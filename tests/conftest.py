"""Shared pytest set-up. Fixture modules live beside this file, one concern each."""

pytest_plugins = ["fixtures_db", "fixtures_server"]
