"""Sessions: the shared envelope (:mod:`~gmmviz.core.session.envelope`); each lab's part
is the lab's own (the EM studio's: :mod:`gmmviz.labs.em.core.session`)."""

from gmmviz.core.session.envelope import (
    MAX_SESSION_BYTES,
    SESSION_FORMAT,
    SESSION_SUFFIX,
    SESSION_VERSION,
    is_session_path,
    load_document,
)

__all__ = ["MAX_SESSION_BYTES", "SESSION_FORMAT", "SESSION_SUFFIX", "SESSION_VERSION", "is_session_path",
           "load_document"]
