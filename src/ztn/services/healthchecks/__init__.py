"""Healthchecks v3 API: the servicer and the plain ping/badge routes."""
