"""Healthchecks-compatible monitoring: the rules of checks, pings, statuses, schedules and badges."""
