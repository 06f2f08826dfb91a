"""USB printers through pyusb (the `usb` extra: pip install 'loket[usb]')."""

from __future__ import annotations

import time
from typing import Any

from .address import UsbAddress
from .errors import Failure, PrinterError
from .wire import CHUNK, left, timed_out

_BULK = 0x02
_DIRECTION_IN = 0x80


class UsbTransport:
    """A USB printer's bulk endpoints: OUT for data, IN (when there is one) for status."""

    def __init__(self, address: UsbAddress) -> None:
        self.address = address
        self.label = address.label
        self.can_read = False
        self.status_timeout = address.status_timeout
        self.sent = 0
        self._device: Any = None
        self._out: Any = None
        self._in: Any = None
        self._detached = False

    def open(self, deadline: float) -> None:
        """Find the device, take it from the kernel's usblp driver and claim its interface."""
        core, util = _pyusb(self.label)
        try:
            device = core.find(idVendor=self.address.vendor, idProduct=self.address.product)
        except core.NoBackendError:
            raise PrinterError(
                Failure.IO_ERROR,
                f"{self.label}: pyusb finds no USB library (Debian: apt install libusb-1.0-0)",
            ) from None
        if device is None:
            raise PrinterError(
                Failure.NOT_FOUND,
                f"{self.label}: no such USB device (is it plugged in and switched on? see lsusb)",
            )
        try:
            self._claim(device, util)
        except PrinterError:
            util.dispose_resources(device)
            raise
        except core.USBError as exc:
            util.dispose_resources(device)
            if exc.errno == 13:
                raise PrinterError(
                    Failure.PERMISSION,
                    f"{self.label}: permission denied (add a udev rule or the lp group)",
                ) from None
            raise PrinterError(Failure.IO_ERROR, f"{self.label}: cannot open: {exc}") from None
        self._device = device

    def _claim(self, device: Any, util: Any) -> None:
        """Detach the kernel driver, claim the interface and find the bulk endpoints."""
        number = self.address.interface
        try:
            if device.is_kernel_driver_active(number):
                device.detach_kernel_driver(number)
                self._detached = True
        except NotImplementedError:  # only the libusb1 backend knows kernel drivers
            pass
        interface = device.get_active_configuration()[(number, 0)]
        util.claim_interface(device, number)
        endpoints = [ep for ep in interface if ep.bmAttributes & 0x03 == _BULK]
        self._out = _endpoint(endpoints, self.address.out_ep, want_in=False)
        self._in = _endpoint(endpoints, self.address.in_ep, want_in=True)
        if self._out is None:
            raise PrinterError(Failure.IO_ERROR, f"{self.label}: no bulk OUT endpoint")
        self.can_read = self.address.status and self._in is not None

    def write(self, data: bytes, deadline: float) -> None:
        """Write in chunks, each with the time left as its USB time-out."""
        core, _ = _pyusb(self.label)
        start, total, done = time.monotonic(), len(data), 0
        try:
            while done < total:
                if (remaining := left(deadline)) <= 0:
                    raise timed_out(self.label, done, total, time.monotonic() - start)
                done += self._out.write(data[done : done + CHUNK], _ms(remaining))
        except core.USBTimeoutError:
            raise timed_out(self.label, done, total, time.monotonic() - start) from None
        except core.USBError as exc:
            raise PrinterError(Failure.CONNECTION_LOST, f"{self.label}: {exc}") from None
        finally:
            self.sent += done

    def read(self, size: int, deadline: float) -> bytes:
        """What the IN endpoint has before the deadline."""
        core, _ = _pyusb(self.label)
        if self._in is None:
            return b""
        try:
            return bytes(self._in.read(max(size, self._in.wMaxPacketSize), _ms(left(deadline))))
        except core.USBTimeoutError:
            return b""
        except core.USBError as exc:
            raise PrinterError(Failure.CONNECTION_LOST, f"{self.label}: {exc}") from None

    def discard_input(self) -> None:
        """Read and drop what is waiting on the IN endpoint."""
        while self.read(64, time.monotonic() + 0.01):
            pass

    def close(self) -> None:
        """Release the interface and give the device back to the kernel driver."""
        device, self._device = self._device, None
        if device is None:
            return
        core, util = _pyusb(self.label)
        try:
            util.release_interface(device, self.address.interface)
            if self._detached:
                device.attach_kernel_driver(self.address.interface)
        except (core.USBError, NotImplementedError):
            pass
        util.dispose_resources(device)


def _pyusb(label: str) -> tuple[Any, Any]:
    """pyusb's core and util modules, or an error that says how to install them."""
    try:
        import usb.core
        import usb.util
    except ImportError:
        raise PrinterError(
            Failure.IO_ERROR, f"{label}: USB printers need pyusb: pip install 'loket[usb]'"
        ) from None
    return usb.core, usb.util


def _endpoint(endpoints: list[Any], wanted: int | None, want_in: bool) -> Any:
    """The endpoint with address `wanted`, or the first bulk one in the right direction."""
    for ep in endpoints:
        is_in = bool(ep.bEndpointAddress & _DIRECTION_IN)
        if (wanted is None and is_in == want_in) or ep.bEndpointAddress == wanted:
            return ep
    return None


def _ms(seconds: float) -> int:
    """A pyusb time-out in milliseconds (0 would mean wait forever)."""
    return max(1, int(seconds * 1000))
