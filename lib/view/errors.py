"""No traceback on screen: an unexpected error becomes one short message, details go to the log."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from lib.view.labels import t

log = logging.getLogger("lib.view")
RAISE_ENV = "PVVNL_RAISE_ERRORS"  # set by the tests, so an AppTest still sees the exception


@contextmanager
def shown_as_message(lang: str, where: str) -> Iterator[None]:
    """Run a block; on an unexpected error show one line in ``lang`` and log the traceback.

    st.stop(), st.rerun() and st.switch_page() raise Streamlit's ScriptControlException (a
    BaseException: StopException, RerunException); they pass through untouched.
    """
    try:
        yield
    except ScriptControlException:
        raise
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("unexpected error on %s (ref %s)", where, ref)
        st.error(t("app.error", lang, ref=ref), icon=":material/error:")
        if os.environ.get(RAISE_ENV):
            raise
