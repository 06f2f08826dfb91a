"""The staff terminal's words: a message per id, in the terminal's language.

Placeholders in braces are filled by the presenter."""

from __future__ import annotations

from i18n import N_, nN_, pN_, translator

MESSAGES = {
    # actions
    # Translators: a button; the terminal adds its key: "Call next  [F1]"
    "call_next": N_("Call next"),
    "recall": N_("Recall"),
    "start": N_("Start"),
    "finish": N_("Finish"),
    "no_show": N_("No-show"),
    "transfer": N_("Transfer"),
    "call_ticket": N_("Call a ticket"),
    "hold": N_("Hold"),
    "reactivate": N_("Reactivate"),
    "issue": N_("Issue a ticket"),
    "open_counter": N_("Open counter"),
    "pause_counter": N_("Pause"),
    "close_counter": N_("Close counter"),
    "retry": pN_("staff terminal", "Try again"),
    "language": N_("Language"),
    "back": N_("Back"),
    "send": N_("Send"),
    # the current ticket
    "current": N_("Current ticket"),
    "no_ticket": N_("No ticket at this counter"),
    "status": N_("Status"),
    "waited": N_("Waited"),
    "ticket_language": N_("Language"),
    "appointment": N_("Appointment"),
    # Translators: the appointment of a ticket that has none
    "walk_in": N_("walk-in"),
    "channel": N_("Channel"),
    "priority": N_("Priority"),
    "recalls": N_("Recalled"),
    "documents": N_("Documents to check"),
    "visit": N_("Also in this visit"),
    "transfers": N_("Transfers"),
    "details_missing": N_("Details not available after a restart"),
    "minutes": N_("{n} min"),
    # statuses
    "status_waiting": pN_("ticket status", "waiting"),
    "status_called": pN_("ticket status", "called"),
    "status_serving": pN_("ticket status", "being served"),
    "status_held": pN_("ticket status", "on hold"),
    "status_no_show": pN_("ticket status", "no-show"),
    "status_done": pN_("ticket status", "done"),
    "status_cancelled": pN_("ticket status", "cancelled"),
    "counter_open": N_("open"),
    "counter_paused": N_("paused"),
    "counter_closed": N_("closed"),
    "channel_desk": N_("desk"),
    "channel_phone": N_("phone"),
    "channel_kiosk": N_("kiosk"),
    "channel_web": N_("web"),
    # queue overview and today's figures
    "queue": N_("Queue"),
    "col_waiting": pN_("queue column", "waiting"),
    "col_longest": pN_("queue column", "longest"),
    "col_expected": pN_("queue column", "expected"),
    "today": N_("Today at this counter"),
    "fig_called": pN_("today's figures", "called"),
    "fig_served": pN_("today's figures", "served"),
    "fig_no_shows": pN_("today's figures", "no-shows"),
    "fig_transferred": pN_("today's figures", "transferred"),
    "fig_issued": pN_("today's figures", "tickets issued"),
    "fig_mean_service": pN_("today's figures", "mean service time"),
    "figures_note": N_("today, for this counter"),
    # connection and feedback
    "moved": N_("This terminal now works for {counter}"),
    "online": N_("Connected to the hub"),
    "offline": N_("NO CONNECTION to the hub"),
    "sending": N_("Sending: {action} …"),
    # Translators: after an action went through: {action} is a button's text, {number} a ticket
    "done": N_("Done: {action} {number}"),
    "nobody": N_("Nobody is waiting for this counter."),
    "refused": N_("Refused: {message}"),
    "not_sent": N_("NOT sent: no connection to the hub. Nothing has changed."),
    "no_answer": N_(
        "No answer from the hub to '{action}': it may not have happened. Ctrl+R tries again "
        "(never twice)."
    ),
    "busy": N_("Please wait: '{action}' is still being sent."),
    "issued": N_("Ticket {number} issued ({channel}): {wait}"),
    # Translators: a new ticket's place in the queue and expected wait, after 'Ticket A012 issued'
    "position": N_("position {position}, ± {minutes} min"),
    "moved_on": N_("{number} goes on to {service}"),
    "counter_now": N_("The counter is now {status}"),
    "bad_number": N_("Type a ticket number such as A012."),
    "bad_minutes": N_("Type 1 to 1440 minutes, or leave it empty."),
    "no_current": N_("There is no ticket at this counter."),
    # forms
    "transfer_title": N_("Transfer to a service or counter (the ticket keeps its place)"),
    "to_service": N_("Service"),
    "to_counter": N_("Counter"),
    "note": N_("Note for the colleague"),
    "call_ticket_prompt": N_("Which ticket to call? (e.g. A012)"),
    "reactivate_prompt": N_("Which ticket is back? (no-show or on hold, e.g. A012)"),
    "hold_prompt": N_("Hold the current ticket: how many minutes? (empty: until reactivated)"),
    "issue_title": N_("Issue a ticket at the desk or for a phone call"),
    # Translators: a yes/no choice in the form that issues a ticket
    "force": N_("Also after the last ticket or above the daily cap"),
    "yes": N_("yes"),
    "no": N_("no"),
    "form_keys": N_("Up/down arrows: choose · Enter: send · Esc: back"),
    "prompt_keys": N_("Enter: send · Esc: back"),
}
#: Shown for a transferred ticket when the hub sends no note; counted by `n`.
_NOTES_MISSING = nN_(
    "transferred {n} time (the hub does not send the note yet)",
    "transferred {n} times (the hub does not send the note yet)",
)


def texts(language: str) -> dict[str, str]:
    """Every message in `language` (Dutch when unknown), placeholders left as they are."""
    words = translator(language)
    return {key: words.text(message) for key, message in MESSAGES.items()}


def notes_missing(transfers: int, language: str) -> str:
    """'transferred 2 times (the hub does not send the note yet)' in `language`."""
    return translator(language).text(_NOTES_MISSING, n=transfers)
