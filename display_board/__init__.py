"""The waiting-room display board: called tickets, announcements, waiting counts.

`presenter.DisplayPresenter` holds everything the board shows and decides (tested without
a window); `announcer.Announcer` chimes and speaks the calls one after another; `app` is
the Kivy view over them, started by `loket display`.
"""

#: The modules other packages may import; the rest is this package's own.
__all__ = ["app", "board", "window", "wiring"]
