"""Long work out of the request: workbooks and recounts run as background jobs.

``models`` is a job's state (in the database, so every worker can show it), ``sealed`` keeps a
finished workbook sealed with the vault's data key, ``queue`` hands a job to a worker (a thread
of this process, or RQ on Redis), ``run`` runs one, ``exports`` and ``recounts`` are the work,
``sweep`` removes what expired, ``views`` the status page and the download, ``cli`` the
``flask jobs`` commands."""
