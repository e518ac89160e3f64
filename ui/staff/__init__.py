"""The administrator's staff screens: the account list, its dialogs, and
the change-password dialog used at sign-in."""

from ui.staff.page import StaffPage
from ui.staff.password_dialogs import ChangePasswordDialog

__all__ = ["ChangePasswordDialog", "StaffPage"]
