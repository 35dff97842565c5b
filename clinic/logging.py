"""Structured logging: every record carries its request id, and never a patient's link."""

import contextvars
import logging
import re

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# A patient's signed link lets its holder change the booking: Django's request log
# ("Not Found: /book/manage/<token>/") must not copy it into log files.
_PATIENT_LINK = re.compile(r"(/book/manage/)[^/\s\"']+")


def redact(text: str) -> str:
    return _PATIENT_LINK.sub(r"\1[link]", text)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RedactPatientLinksFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
