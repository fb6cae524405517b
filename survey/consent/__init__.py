"""Informed consent, pseudonymous participant codes, and withdrawal."""
