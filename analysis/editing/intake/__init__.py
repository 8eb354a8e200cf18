"""Importing lists as they are published (issue 13): see plan.py for the flow."""
