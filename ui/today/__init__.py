"""The Today home screen and its parts: the drop-in queue and callbacks."""

from ui.today.callbacks_widget import CallbacksWidget
from ui.today.page import TodayPage
from ui.today.queue_widget import DropInQueueWidget

__all__ = ["CallbacksWidget", "DropInQueueWidget", "TodayPage"]
