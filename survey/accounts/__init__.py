"""Accounts: passwords, login and logout, and who may use which view."""
