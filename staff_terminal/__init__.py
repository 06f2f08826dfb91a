"""The staff terminal of one counter: call, serve, transfer, issue; every action by keyboard.

`presenter.StaffPresenter` holds the state and the actions (tested without a window); the
Kivy app in `app` is a thin view over it, started by `loket staff`.
"""

#: The modules other packages may import; the rest is this package's own.
__all__ = ["app", "desk", "wiring"]
