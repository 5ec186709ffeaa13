"""Who is looking: the visitor named by ``st.user`` (Streamlit's OIDC login, or a trusted
proxy's headers), looked up in the users list; the "no access" page; the sidebar's line on who
is signed in. The bound itself is applied below, in ``lib.figures.access``."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib.figures import access, current
from lib.figures.access import Grant
from lib.figures.scope import Scope
from lib.view.labels import t
from lib.view.safe import md_text
from lib.view.scope_words import scope_words

KEY = "viewer_grant"  # session key: this session's Grant, or None (no access)


def _session_grant() -> Grant | None:
    """The provider ``lib.figures.access`` calls: this session's grant."""
    if get_script_run_ctx() is None:
        raise access.NoSession
    return st.session_state.get(KEY)


def signed_in_email() -> str | None:
    """The visitor's e-mail address from ``st.user``, or None when not identified."""
    user = st.user
    if user.get("is_logged_in") is False or user.get("email_verified") is False:
        return None
    email = user.get("email")
    return email.strip().lower() if isinstance(email, str) and email.strip() else None


def oidc_configured() -> bool:
    """Whether Streamlit's own login is set up (an ``[auth]`` section in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def identify() -> Grant | None:
    """Name this run's visitor and remember the grant for the figures (None: no access).

    With no users list loaded the dashboard is in local mode: one user, a director."""
    access.provide(_session_grant)
    try:
        listed = current.users()
    except Exception:
        if KEY in st.session_state:  # the database is unreachable: keep whom we knew a run ago
            return st.session_state[KEY]
        raise
    grant = access.LOCAL if listed.empty else access.grant_for(listed, signed_in_email())
    st.session_state[KEY] = grant
    return grant


def no_access_page(lang: str) -> None:
    """The page an unidentified or unlisted visitor gets: why, whom to ask, and no figure."""
    st.title(t("access.title", lang))
    email = signed_in_email()
    if email:
        st.warning(t("access.not_listed", lang, email=md_text(email)), icon=":material/block:")
    else:
        st.info(t("access.not_identified", lang), icon=":material/login:")
    names = access.whom_to_ask(current.users())
    st.markdown(t("access.ask", lang, names=md_text(", ".join(names))) if names
                else t("access.ask_mis", lang))
    if not email and oidc_configured():
        st.button(t("access.login", lang), on_click=st.login, type="primary",
                  icon=":material/login:")
    elif email and oidc_configured():
        st.button(t("access.logout", lang), on_click=st.logout)


def sidebar_identity(grant: Grant, lang: str) -> None:
    """Who is signed in, with what role and scope (or that this is local mode)."""
    if grant.local:
        st.sidebar.caption(t("access.local", lang))
        return
    scope = scope_words(current.hierarchy_frame(), Scope(within=grant.within), lang)
    st.sidebar.caption(t("access.signed_in", lang, name=md_text(grant.name or grant.email),
                         role=t(f"access.role.{grant.role}", lang), scope=md_text(scope)))
    if oidc_configured():
        st.sidebar.button(t("access.logout", lang), on_click=st.logout, width="stretch")


def director_only_page(lang: str) -> None:
    """What a non-director gets at a director's page (opened by URL): a refusal."""
    st.title(t("access.title", lang))
    st.warning(t("access.director_only", lang), icon=":material/block:")
