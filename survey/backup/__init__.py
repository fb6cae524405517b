"""Encrypted backups: ``flask backup FILE`` writes one file (the database, the forms, the vault
file) sealed under a key derived from the vault's data key, so the passphrase or the recovery
key opens it; ``flask restore FILE`` brings it back on a new machine. ``sealed_file`` is the
file's format, ``contents`` what goes in and comes out, ``cli`` the commands."""
