"""Every text the kiosk shows or says, by message id (the views bind to the ids)."""

from __future__ import annotations

from i18n import N_

MESSAGES = {
    # --- welcome and start ---
    "welcome": N_("Welcome"),
    "touch_to_start": N_("Touch the screen to start"),
    "choose_language": N_("Language"),
    "start_question": N_("Do you have an appointment?"),
    "have_appointment": N_("Yes, I have an appointment"),
    "have_appointment_hint": N_("Type your code or scan the QR code from your confirmation"),
    "no_appointment": N_("No, I don't have an appointment"),
    "no_appointment_hint": N_("Choose what you came for and take a ticket"),
    # --- keypad ---
    "code_title": N_("Type your booking code"),
    "code_hint": N_(
        "The code is in your confirmation. You can also hold the QR code under the scanner.",
    ),
    "key_delete": N_("Delete"),
    # Translators: the keypad's OK key
    "key_ok": N_("Check in"),
    "one_moment": N_("One moment …"),
    # --- checked in ---
    "checked_in_title": N_("You are checked in"),
    "already_checked_in": N_("You had already checked in. You get your ticket again."),
    "your_appointments": N_("Your appointments today"),
    # Translators: one of today's appointments in a list: a clock time and a service's name
    "appointment_line": N_("{time}  {service}"),
    "documents_title": N_("Please have these ready"),
    # Translators: {service} and {offer} are names of services from the site's settings
    "offer_question": N_("You are here for: {service}. Would you also like help with: {offer}?"),
    "yes": N_("Yes"),
    "no": N_("No"),
    "offer_added": N_("Added to your visit: {service}"),
    "offer_failed": N_("That did not work. Please ask at the counter."),
    "get_ticket": N_("Print my ticket"),
    # --- check-in refused ---
    "refused_unknown_code_title": N_("We cannot find this code"),
    "refused_unknown_code_body": N_(
        "Check the code in your confirmation and try again. Still not working? Please ask at the "
        "desk."
    ),
    "refused_too_early_title": N_("You are early"),
    # Translators: {when}: 'today at 16:00', 'tomorrow at 08:30', 'on Monday 7 December at 08:30'
    "refused_too_early_body": N_(
        "You can check in from {when}. Please take a seat in the meantime.",
    ),
    "refused_too_late_title": N_("The time of your appointment has passed"),
    "refused_too_late_body": N_(
        "Please ask at the desk what we can still do. We are glad to help.",
    ),
    "refused_other_day_title": N_("Your appointment is on another day"),
    "refused_other_day_body": N_(
        "Your appointment is {when}. Please come back then, or ask at the desk.",
    ),
    "refused_cancelled_title": N_("This appointment was cancelled"),
    "refused_cancelled_body": N_(
        "Please ask at the desk what we can still do, or take a ticket without an appointment.",
    ),
    "refused_other_title": N_("Check-in did not work"),
    "refused_other_body": N_("Please ask at the desk. We are glad to help."),
    "try_again": N_("Try again"),
    "code_too_short": N_("This code is too short. Please check your confirmation."),
    # --- walk-in tiles ---
    "services_title": N_("What are you here for?"),
    "quick_label": N_("Quick: under 5 minutes"),
    "wait_none": N_("No waiting"),
    "wait_minutes": N_("About {minutes} min wait"),
    "wait_unknown": N_("Waiting time not known right now"),
    "priority_toggle": N_("I need priority (wheelchair, pregnant …)"),
    # --- why a service gives no ticket ---
    "reason_appointments_only": N_("By appointment only"),
    "reason_closed_today": N_("Closed today"),
    "reason_not_yet_open": N_("Not open yet"),
    "reason_closed_now": N_("Closed now"),
    "reason_after_last_ticket": N_("No more tickets today"),
    "reason_daily_cap_reached": N_("Full for today"),
    "reason_numbers_exhausted": N_("No numbers left today"),
    "reason_full_today": N_("Full until closing time"),
    "reason_offline": N_("Not possible at this kiosk right now"),
    "reason_paused": N_("No tickets at the moment"),
    # Translators: {when}: 'today at 16:00', 'tomorrow at 08:30', 'on Monday 7 December at 08:30'
    "next_available": N_("Available again {when}"),
    "unavailable_body_appointments_only": N_(
        "We see people for this by appointment only. Book one and you will not have to wait.",
    ),
    "unavailable_body_full": N_("We cannot see anyone else for this today. We are sorry."),
    "unavailable_body_full_today": N_(
        "The people already waiting will take us until closing time, so we cannot give you"
        " a ticket now. Please come back later, or book an appointment.",
    ),
    "unavailable_body_closed": N_("This service is closed right now."),
    "unavailable_body_offline": N_(
        "We have no connection just now and cannot make a ticket for this. Please ask at the desk.",
    ),
    "unavailable_body_paused": N_(
        "Tickets for this service are stopped for a while. Please ask at the desk.",
    ),
    "book_online": N_("Book an appointment: scan the QR code with your phone."),
    "ask_desk_hint": N_("Need help? Ask at the desk."),
    # --- when ---
    "when_today": N_("today at {time}"),
    "when_tomorrow": N_("tomorrow at {time}"),
    # Translators: {weekday} and {month} are the words below
    "when_day": N_("on {weekday} {day} {month} at {time}"),
    # Translators: the weekdays and months go into 'on Monday 7 December at 08:30'
    "weekday_0": N_("Monday"),
    "weekday_1": N_("Tuesday"),
    "weekday_2": N_("Wednesday"),
    "weekday_3": N_("Thursday"),
    "weekday_4": N_("Friday"),
    "weekday_5": N_("Saturday"),
    "weekday_6": N_("Sunday"),
    # Translators: the months go into 'on Monday 7 December at 08:30'
    "month_1": N_("January"),
    "month_2": N_("February"),
    "month_3": N_("March"),
    "month_4": N_("April"),
    "month_5": N_("May"),
    "month_6": N_("June"),
    "month_7": N_("July"),
    "month_8": N_("August"),
    "month_9": N_("September"),
    "month_10": N_("October"),
    "month_11": N_("November"),
    "month_12": N_("December"),
    # --- ticket ---
    "ticket_title": N_("Your number"),
    "printing": N_("Your ticket is printing …"),
    "take_ticket": N_(
        "Take your ticket. Please take a seat: your number will appear on the screen in the "
        "waiting room."
    ),
    "position": N_("You are number {position} in the queue"),
    "appointment_at": N_("Your appointment: {time}"),
    "follow_on_phone": N_("Follow your turn on your phone: scan the QR code"),
    "print_failed_title": N_("The printer is not working"),
    "print_failed_body": N_(
        "Your place in the queue is saved. Remember your number or take a photo of this screen.",
    ),
    "print_failed_done": N_("I have my number"),
    "done": N_("Done"),
    "printer_down_banner": N_(
        "The printer is not working: your number will be shown on the screen.",
    ),
    # --- offline ---
    "offline_banner": N_("No connection just now. You can still take a ticket."),
    "offline_banner_desk": N_("No connection just now. Please ask for your ticket at the desk."),
    "offline_checkin_title": N_("Check-in is not possible just now"),
    "offline_checkin_body": N_(
        "We have no connection just now. Your appointment still stands. Take a ticket without an "
        "appointment or ask at the desk."
    ),
    "take_walk_in_ticket": N_("Ticket without appointment"),
    "offline_ticket_note": N_("Issued without a connection. Your place in the queue is kept."),
    "no_ticket_title": N_("We cannot make a ticket just now"),
    "no_ticket_body": N_("Please ask at the desk. We are glad to help."),
    # --- idle, help, navigation ---
    "idle_title": N_("Do you need more time?"),
    "idle_yes": N_("Yes, I need more time"),
    "idle_no": N_("No, start again"),
    "ask_staff": N_("Ask for help"),
    "help_title": N_("Need help?"),
    "help_body": N_(
        "Someone at the desk will gladly help you. Go to the reception desk or speak to a member "
        "of staff."
    ),
    "close": N_("Close"),
    "back": N_("Back"),
    "home": N_("Start again"),
    # --- accessibility ---
    "accessibility": N_("Easier to read and hear"),
    "large_text": N_("Larger text"),
    "high_contrast": N_("High contrast"),
    "read_aloud": N_("Read aloud"),
    # Translators: the state of a switch (large text, high contrast, read aloud, priority)
    "on": N_("On"),
    "off": N_("Off"),
    "headphones_hint": N_("You can plug headphones into the kiosk."),
    # --- care-home mode and spoken guidance ---
    "care_prompt_one": N_("Welcome. Press the big button for a ticket."),
    # Translators: said aloud; {first} and {second} are the services on the two big buttons
    "care_prompt_two": N_(
        "Welcome. Press the top button for {first}, or the bottom button for {second}.",
    ),
    "say_ticket": N_(
        "Your number is {number}. Take your ticket and take a seat. We will call you.",
    ),
    "say_ticket_no_print": N_(
        "Your number is {number}. The printer is not working. Remember your number, or ask at the "
        "desk."
    ),
}
