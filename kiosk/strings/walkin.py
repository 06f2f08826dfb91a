"""Texts of the walk-in tiles, the reasons a service gives no ticket, and dates."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str, str, str]] = {
    "services_title": (
        "Waarvoor komt u?",
        "Pourquoi venez-vous ?",
        "What are you here for?",
        "Weshalb sind Sie hier?",
    ),
    "quick_label": (
        "Snel: minder dan 5 minuten",
        "Rapide : moins de 5 minutes",
        "Quick: under 5 minutes",
        "Schnell: unter 5 Minuten",
    ),
    "wait_none": ("Geen wachttijd", "Pas d'attente", "No waiting", "Keine Wartezeit"),
    "wait_minutes": (
        "Ongeveer {minutes} min wachten",
        "Environ {minutes} min d'attente",
        "About {minutes} min wait",
        "Etwa {minutes} Min. Wartezeit",
    ),
    "wait_unknown": (
        "Wachttijd nu niet bekend",
        "Attente inconnue pour l'instant",
        "Waiting time not known right now",
        "Wartezeit gerade nicht bekannt",
    ),
    "priority_toggle": (
        "Ik heb voorrang nodig (rolstoel, zwanger …)",
        "J'ai besoin d'une priorité (fauteuil roulant, enceinte …)",
        "I need priority (wheelchair, pregnant …)",
        "Ich brauche Vorrang (Rollstuhl, schwanger …)",
    ),
    # --- why a service gives no ticket --------------------------------------------------
    "reason_appointments_only": (
        "Alleen op afspraak",
        "Uniquement sur rendez-vous",
        "By appointment only",
        "Nur mit Termin",
    ),
    "reason_closed_today": (
        "Vandaag gesloten",
        "Fermé aujourd'hui",
        "Closed today",
        "Heute geschlossen",
    ),
    "reason_not_yet_open": (
        "Nog niet open",
        "Pas encore ouvert",
        "Not open yet",
        "Noch nicht geöffnet",
    ),
    "reason_closed_now": (
        "Nu gesloten",
        "Fermé pour le moment",
        "Closed now",
        "Jetzt geschlossen",
    ),
    "reason_after_last_ticket": (
        "Geen tickets meer vandaag",
        "Plus de tickets aujourd'hui",
        "No more tickets today",
        "Heute keine Tickets mehr",
    ),
    "reason_daily_cap_reached": (
        "Volzet voor vandaag",
        "Complet pour aujourd'hui",
        "Full for today",
        "Für heute ausgebucht",
    ),
    "reason_numbers_exhausted": (
        "Geen nummers meer vandaag",
        "Plus de numéros aujourd'hui",
        "No numbers left today",
        "Heute keine Nummern mehr",
    ),
    "reason_offline": (
        "Nu niet mogelijk aan deze zuil",
        "Pas possible à cette borne pour l'instant",
        "Not possible at this kiosk right now",
        "An dieser Säule gerade nicht möglich",
    ),
    "next_available": (
        "Weer mogelijk {when}",
        "De nouveau possible {when}",
        "Available again {when}",
        "Wieder möglich {when}",
    ),
    "unavailable_body_appointments_only": (
        "Hiervoor werken we alleen op afspraak. Maak een afspraak, dan hoeft u niet te wachten.",
        "Pour ce service, nous travaillons uniquement sur rendez-vous. Prenez rendez-vous : "
        "vous n'attendrez pas.",
        "We see people for this by appointment only. Book one and you will not have to wait.",
        "Dafür arbeiten wir nur mit Termin. Vereinbaren Sie einen Termin, dann müssen Sie "
        "nicht warten.",
    ),
    "unavailable_body_full": (
        "Vandaag kunnen we niemand meer helpen voor deze dienst. Excuses.",
        "Aujourd'hui, nous ne pouvons plus recevoir personne pour ce service. Désolés.",
        "We cannot see anyone else for this today. We are sorry.",
        "Heute können wir für diesen Dienst niemanden mehr empfangen. Entschuldigung.",
    ),
    "unavailable_body_closed": (
        "Deze dienst is nu gesloten.",
        "Ce service est fermé pour le moment.",
        "This service is closed right now.",
        "Dieser Dienst ist jetzt geschlossen.",
    ),
    "unavailable_body_offline": (
        "We hebben even geen verbinding en kunnen hiervoor nu geen ticket maken. Vraag het "
        "aan het onthaal.",
        "Nous n'avons pas de connexion pour l'instant et ne pouvons pas faire de ticket pour "
        "ce service. Demandez à l'accueil.",
        "We have no connection just now and cannot make a ticket for this. Please ask at the desk.",
        "Wir haben gerade keine Verbindung und können dafür kein Ticket erstellen. Fragen "
        "Sie am Empfang.",
    ),
    "book_online": (
        "Afspraak maken? Scan de QR-code met uw smartphone.",
        "Prendre rendez-vous ? Scannez le code QR avec votre smartphone.",
        "Book an appointment: scan the QR code with your phone.",
        "Termin vereinbaren? Scannen Sie den QR-Code mit Ihrem Smartphone.",
    ),
    "ask_desk_hint": (
        "Hulp nodig? Vraag het aan het onthaal.",
        "Besoin d'aide ? Demandez à l'accueil.",
        "Need help? Ask at the desk.",
        "Brauchen Sie Hilfe? Fragen Sie am Empfang.",
    ),
    # --- when ---------------------------------------------------------------------------
    "when_today": (
        "vandaag om {time}",
        "aujourd'hui à {time}",
        "today at {time}",
        "heute um {time}",
    ),
    "when_tomorrow": (
        "morgen om {time}",
        "demain à {time}",
        "tomorrow at {time}",
        "morgen um {time}",
    ),
    "when_day": (
        "op {weekday} {day} {month} om {time}",
        "le {weekday} {day} {month} à {time}",
        "on {weekday} {day} {month} at {time}",
        "am {weekday}, {day}. {month} um {time}",
    ),
    "weekday_0": ("maandag", "lundi", "Monday", "Montag"),
    "weekday_1": ("dinsdag", "mardi", "Tuesday", "Dienstag"),
    "weekday_2": ("woensdag", "mercredi", "Wednesday", "Mittwoch"),
    "weekday_3": ("donderdag", "jeudi", "Thursday", "Donnerstag"),
    "weekday_4": ("vrijdag", "vendredi", "Friday", "Freitag"),
    "weekday_5": ("zaterdag", "samedi", "Saturday", "Samstag"),
    "weekday_6": ("zondag", "dimanche", "Sunday", "Sonntag"),
    "month_1": ("januari", "janvier", "January", "Januar"),
    "month_2": ("februari", "février", "February", "Februar"),
    "month_3": ("maart", "mars", "March", "März"),
    "month_4": ("april", "avril", "April", "April"),
    "month_5": ("mei", "mai", "May", "Mai"),
    "month_6": ("juni", "juin", "June", "Juni"),
    "month_7": ("juli", "juillet", "July", "Juli"),
    "month_8": ("augustus", "août", "August", "August"),
    "month_9": ("september", "septembre", "September", "September"),
    "month_10": ("oktober", "octobre", "October", "Oktober"),
    "month_11": ("november", "novembre", "November", "November"),
    "month_12": ("december", "décembre", "December", "Dezember"),
}
