"""Why a connection to the Harbour server failed, in one sentence.

libpq reports every failure to connect as one ``OperationalError`` whose text
names the cause (a wrong password, a certificate from another CA or for
another name, no TLS on the server, nothing listening). The person at the
desk, the set-up wizard and ``harbour-admin`` get the cause as one sentence
they can act on; the driver's text itself can name files and is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.profile import ServerProfile


@dataclass(frozen=True)
class Refusal:
    message: str
    #: The server turned the password down: asking for it again may help.
    wrong_password: bool = False


def _where(profile: ServerProfile) -> str:
    return f"The Harbour server {profile.host or 'on this machine'}"


def refusal(profile: ServerProfile, driver_text: str) -> Refusal:
    """The sentence for the failure libpq described as ``driver_text``."""
    text, where = driver_text.lower(), _where(profile)
    if "password authentication failed" in text or "no password supplied" in text:
        return Refusal(f"{where} did not accept the password for {profile.user}; check it (letters are "
                       "case-sensitive) and try again.", wrong_password=True)
    if "does not match host name" in text:
        return Refusal(f"{where} showed a certificate made out to another name, so Harbour cannot tell it is the "
                       "clinic's server; use the server name exactly as its certificate gives it.")
    if "certificate verify failed" in text:
        return Refusal(f"{where} showed a certificate the site CA certificate did not sign, so it may not be the "
                       "clinic's server; check the CA certificate file with the administrator.")
    if "root certificate file" in text or "no certificate or crl found" in text:
        return Refusal(f"The site CA certificate file {profile.ca_path} cannot be read as a certificate; "
                       "copy the site's CA certificate (a .pem file) to this computer and choose it again.")
    if "does not support ssl" in text:
        return Refusal(f"{where} does not offer TLS, and Harbour never sends client records over the network "
                       "unencrypted; the administrator turns on ssl on the server.")
    if "no encryption" in text:
        return Refusal(f"{where} accepts only TLS connections; choose the site CA certificate so that Harbour "
                       "connects over TLS.")
    if "pg_hba.conf" in text:
        return Refusal(f"{where} does not accept connections from this computer; the administrator adds the "
                       "pg_hba.conf lines harbour-admin server init printed.")
    if "database" in text and "does not exist" in text:
        return Refusal(f"{where} has no database called {profile.database}; check the name with the "
                       "administrator.")
    return Refusal(unreachable(profile))


def unreachable(profile: ServerProfile) -> str:
    """One line for the person at the desk; the driver's text can name paths, never clients."""
    return (f"{_where(profile)} (database {profile.database}) cannot be reached or refused the connection; "
            "check the network and the server name, then try again.")
