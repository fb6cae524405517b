"""Collecting answers: the page-by-page survey and storing what was said."""
