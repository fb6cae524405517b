"""Organisations (CBOs): who owns which data, and which surveys each runs."""
