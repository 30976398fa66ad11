"""Writes of the delivery app: events and sessions (events.py), enrolment (enrolment.py)."""
