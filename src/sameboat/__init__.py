"""Sameboat: coordinating an organisation through an epidemic."""
