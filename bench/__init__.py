"""Benchmarks. Each app they make unlocks a throwaway vault by itself, cheaply (as the tests'
do), so no passphrase is typed and the figures measure the encrypted database as deployed."""

import os
import tempfile
from pathlib import Path

_VAULT = Path(tempfile.mkdtemp(prefix="survey-bench-"))
(_VAULT / "passphrase").write_text("bench passphrase, never typed")
os.environ.setdefault("VAULT_FILE", str(_VAULT / "vault.json"))
os.environ.setdefault("VAULT_PASSPHRASE_FILE", str(_VAULT / "passphrase"))
os.environ.setdefault("VAULT_KDF_TIME_COST", "1")
os.environ.setdefault("VAULT_KDF_MEMORY_KIB", "1024")
