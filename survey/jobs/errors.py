"""A job that cannot be done: the message is untranslated (gettext at display) and is what the
lead reads on the job's page."""


class JobError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
