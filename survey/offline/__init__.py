"""The installable offline app: its shell page, service worker and manifest."""
