"""Mentorship registers: people, consents, pairs and the pair order."""
