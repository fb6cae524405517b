"""The vault: a data key (DEK) that is never on disk in the clear, kept in memory while the
server is unlocked. It keys the SQLCipher database, seals the secret key and the sync keys, and
encrypts the identifying columns on PostgreSQL. ``envelope`` wraps and seals, ``state`` is one
process's vault, ``channel`` shares an unlock between workers, ``gate`` is the locked server,
``wiring`` joins it to the app."""
