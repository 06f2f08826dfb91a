"""The staff terminal's words in Dutch, French, English and German (one tuple per message,
in the order of LANGUAGES). Placeholders in braces are filled by the presenter."""

from __future__ import annotations

LANGUAGES = ("nl", "fr", "en", "de")
#: Languages by their own name (the same on every screen).
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English", "de": "Deutsch"}

_TEXTS: dict[str, tuple[str, str, str, str]] = {
    # actions (the key is added by the presenter: "Volgende  [F1]")
    "call_next": ("Volgende", "Suivant", "Call next", "Nächster"),
    "recall": ("Opnieuw oproepen", "Rappeler", "Recall", "Erneut aufrufen"),
    "start": ("Start", "Commencer", "Start", "Beginnen"),
    "finish": ("Klaar", "Terminer", "Finish", "Fertig"),
    "no_show": ("Niet gekomen", "Absent", "No-show", "Nicht erschienen"),
    "transfer": ("Doorverwijzen", "Transférer", "Transfer", "Weiterleiten"),
    "call_ticket": ("Ticket oproepen", "Appeler un ticket", "Call a ticket", "Ticket aufrufen"),
    "hold": ("In wacht zetten", "Mettre en attente", "Hold", "Zurückstellen"),
    "reactivate": ("Heractiveren", "Réactiver", "Reactivate", "Reaktivieren"),
    "issue": ("Ticket maken", "Émettre un ticket", "Issue a ticket", "Ticket ausstellen"),
    "open_counter": ("Loket openen", "Ouvrir", "Open counter", "Öffnen"),
    "pause_counter": ("Pauze", "Pause", "Pause", "Pause"),
    "close_counter": ("Loket sluiten", "Fermer", "Close counter", "Schließen"),
    "retry": ("Opnieuw proberen", "Réessayer", "Try again", "Erneut versuchen"),
    "language": ("Taal", "Langue", "Language", "Sprache"),
    "back": ("Terug", "Retour", "Back", "Zurück"),
    "send": ("Versturen", "Envoyer", "Send", "Senden"),
    # the current ticket
    "current": ("Huidig ticket", "Ticket en cours", "Current ticket", "Aktuelles Ticket"),
    "no_ticket": (
        "Geen ticket aan dit loket",
        "Aucun ticket à ce guichet",
        "No ticket at this counter",
        "Kein Ticket an diesem Schalter",
    ),
    "status": ("Status", "Statut", "Status", "Status"),
    "waited": ("Gewacht", "Attente", "Waited", "Gewartet"),
    "ticket_language": ("Taal", "Langue", "Language", "Sprache"),
    "appointment": ("Afspraak", "Rendez-vous", "Appointment", "Termin"),
    "walk_in": ("zonder afspraak", "sans rendez-vous", "walk-in", "ohne Termin"),
    "channel": ("Kanaal", "Canal", "Channel", "Kanal"),
    "priority": ("Voorrang", "Prioritaire", "Priority", "Vorrang"),
    "recalls": ("Opnieuw opgeroepen", "Rappels", "Recalled", "Erneut aufgerufen"),
    "documents": (
        "Documenten nakijken",
        "Documents à vérifier",
        "Documents to check",
        "Zu prüfende Unterlagen",
    ),
    "visit": (
        "Ook in dit bezoek",
        "Aussi dans cette visite",
        "Also in this visit",
        "Auch bei diesem Besuch",
    ),
    "transfers": ("Doorverwezen", "Transferts", "Transfers", "Weiterleitungen"),
    "notes_missing": (
        "{count} keer doorverwezen (de hub stuurt de notitie nog niet mee)",
        "transféré {count} fois (le hub ne transmet pas encore la note)",
        "transferred {count} times (the hub does not send the note yet)",
        "{count}-mal weitergeleitet (der Hub sendet die Notiz noch nicht)",
    ),
    "details_missing": (
        "Details na herstart niet beschikbaar",
        "Détails indisponibles après redémarrage",
        "Details not available after a restart",
        "Details nach Neustart nicht verfügbar",
    ),
    "minutes": ("{n} min", "{n} min", "{n} min", "{n} Min."),
    # statuses
    "status_waiting": ("wacht", "en attente", "waiting", "wartet"),
    "status_called": ("opgeroepen", "appelé", "called", "aufgerufen"),
    "status_serving": ("in behandeling", "en cours", "being served", "in Bearbeitung"),
    "status_held": ("in wacht", "en attente (mis de côté)", "on hold", "zurückgestellt"),
    "status_no_show": ("niet gekomen", "absent", "no-show", "nicht erschienen"),
    "status_done": ("afgehandeld", "terminé", "done", "erledigt"),
    "status_cancelled": ("geannuleerd", "annulé", "cancelled", "storniert"),
    "counter_open": ("open", "ouvert", "open", "geöffnet"),
    "counter_paused": ("pauze", "en pause", "paused", "Pause"),
    "counter_closed": ("gesloten", "fermé", "closed", "geschlossen"),
    "channel_desk": ("balie", "guichet", "desk", "Schalter"),
    "channel_phone": ("telefoon", "téléphone", "phone", "Telefon"),
    "channel_kiosk": ("zuil", "borne", "kiosk", "Kiosk"),
    "channel_web": ("web", "web", "web", "Web"),
    # queue overview and today's figures
    "queue": ("Wachtrij", "File d'attente", "Queue", "Warteschlange"),
    "col_waiting": ("wacht", "attente", "waiting", "wartend"),
    "col_longest": ("langste", "max.", "longest", "längste"),
    "col_expected": ("verwacht", "prévu", "expected", "erwartet"),
    "today": (
        "Vandaag aan dit loket",
        "Aujourd'hui à ce guichet",
        "Today at this counter",
        "Heute an diesem Schalter",
    ),
    "fig_called": ("opgeroepen", "appelés", "called", "aufgerufen"),
    "fig_served": ("geholpen", "servis", "served", "bedient"),
    "fig_no_shows": ("niet gekomen", "absents", "no-shows", "nicht erschienen"),
    "fig_transferred": ("doorverwezen", "transférés", "transferred", "weitergeleitet"),
    "fig_issued": ("tickets gemaakt", "tickets émis", "tickets issued", "Tickets ausgestellt"),
    "fig_mean_service": (
        "gem. behandeltijd",
        "durée moy.",
        "mean service time",
        "mittl. Bearbeitung",
    ),
    "figures_note": (
        "vandaag, voor dit loket",
        "aujourd'hui, pour ce guichet",
        "today, for this counter",
        "heute, für diesen Schalter",
    ),
    # connection and feedback
    "moved": (
        "Deze terminal werkt nu voor {counter}",
        "Ce terminal sert maintenant {counter}",
        "This terminal now works for {counter}",
        "Dieses Terminal arbeitet jetzt für {counter}",
    ),
    "online": (
        "Verbonden met de hub",
        "Connecté au hub",
        "Connected to the hub",
        "Mit dem Hub verbunden",
    ),
    "offline": (
        "GEEN VERBINDING met de hub",
        "PAS DE CONNEXION au hub",
        "NO CONNECTION to the hub",
        "KEINE VERBINDUNG zum Hub",
    ),
    "sending": (
        "Bezig: {action} …",
        "En cours : {action} …",
        "Sending: {action} …",
        "Wird gesendet: {action} …",
    ),
    "done": (
        "Gelukt: {action} {number}",
        "Fait : {action} {number}",
        "Done: {action} {number}",
        "Erledigt: {action} {number}",
    ),
    "nobody": (
        "Niemand wacht voor dit loket.",
        "Personne n'attend pour ce guichet.",
        "Nobody is waiting for this counter.",
        "Niemand wartet auf diesen Schalter.",
    ),
    "refused": (
        "Geweigerd: {message}",
        "Refusé : {message}",
        "Refused: {message}",
        "Abgelehnt: {message}",
    ),
    "not_sent": (
        "NIET verstuurd: geen verbinding met de hub. Er is niets veranderd.",
        "PAS envoyé : pas de connexion au hub. Rien n'a changé.",
        "NOT sent: no connection to the hub. Nothing has changed.",
        "NICHT gesendet: keine Verbindung zum Hub. Nichts wurde geändert.",
    ),
    "no_answer": (
        "Geen antwoord van de hub op '{action}': misschien is het niet gebeurd. "
        "Ctrl+R probeert opnieuw (nooit dubbel).",
        "Pas de réponse du hub à « {action} » : peut-être pas fait. "
        "Ctrl+R pour réessayer (jamais en double).",
        "No answer from the hub to '{action}': it may not have happened. "
        "Ctrl+R tries again (never twice).",
        "Keine Antwort des Hubs auf „{action}“: vielleicht nicht ausgeführt. "
        "Strg+R versucht es erneut (nie doppelt).",
    ),
    "busy": (
        "Even geduld: '{action}' is nog bezig.",
        "Patientez : « {action} » est en cours.",
        "Please wait: '{action}' is still being sent.",
        "Bitte warten: „{action}“ läuft noch.",
    ),
    "issued": (
        "Ticket {number} gemaakt ({channel}): {wait}",
        "Ticket {number} émis ({channel}) : {wait}",
        "Ticket {number} issued ({channel}): {wait}",
        "Ticket {number} ausgestellt ({channel}): {wait}",
    ),
    "position": (
        "plaats {position}, ± {minutes} min",
        "place {position}, ± {minutes} min",
        "position {position}, ± {minutes} min",
        "Platz {position}, ± {minutes} Min.",
    ),
    "moved_on": (
        "{number} gaat verder naar {service}",
        "{number} continue vers {service}",
        "{number} goes on to {service}",
        "{number} geht weiter zu {service}",
    ),
    "counter_now": (
        "Loket is nu {status}",
        "Le guichet est maintenant {status}",
        "The counter is now {status}",
        "Der Schalter ist jetzt {status}",
    ),
    "bad_number": (
        "Geef een ticketnummer zoals A012.",
        "Indiquez un numéro de ticket comme A012.",
        "Type a ticket number such as A012.",
        "Geben Sie eine Ticketnummer wie A012 ein.",
    ),
    "bad_minutes": (
        "Geef minuten van 1 tot 1440, of laat leeg.",
        "Indiquez de 1 à 1440 minutes, ou laissez vide.",
        "Type 1 to 1440 minutes, or leave it empty.",
        "Geben Sie 1 bis 1440 Minuten ein oder lassen Sie es leer.",
    ),
    "no_current": (
        "Er is geen ticket aan dit loket.",
        "Aucun ticket à ce guichet.",
        "There is no ticket at this counter.",
        "Kein Ticket an diesem Schalter.",
    ),
    # forms
    "transfer_title": (
        "Doorverwijzen naar een dienst of loket (het ticket houdt zijn plaats)",
        "Transférer vers un service ou un guichet (le ticket garde sa place)",
        "Transfer to a service or counter (the ticket keeps its place)",
        "Weiterleiten an einen Dienst oder Schalter (das Ticket behält seinen Platz)",
    ),
    "to_service": ("Dienst", "Service", "Service", "Dienst"),
    "to_counter": ("Loket", "Guichet", "Counter", "Schalter"),
    "note": (
        "Notitie voor de collega",
        "Note pour le collègue",
        "Note for the colleague",
        "Notiz für die Kollegin oder den Kollegen",
    ),
    "call_ticket_prompt": (
        "Welk ticket oproepen? (bv. A012)",
        "Quel ticket appeler ? (ex. A012)",
        "Which ticket to call? (e.g. A012)",
        "Welches Ticket aufrufen? (z. B. A012)",
    ),
    "reactivate_prompt": (
        "Welk ticket is er toch? (niet gekomen of in wacht, bv. A012)",
        "Quel ticket est revenu ? (absent ou en attente, ex. A012)",
        "Which ticket is back? (no-show or on hold, e.g. A012)",
        "Welches Ticket ist zurück? (nicht erschienen oder zurückgestellt, z. B. A012)",
    ),
    "hold_prompt": (
        "Huidig ticket in wacht: hoeveel minuten? (leeg: tot het heractiveerd wordt)",
        "Mettre le ticket en attente : combien de minutes ? (vide : jusqu'à réactivation)",
        "Hold the current ticket: how many minutes? (empty: until reactivated)",
        "Aktuelles Ticket zurückstellen: wie viele Minuten? (leer: bis zur Reaktivierung)",
    ),
    "issue_title": (
        "Ticket maken aan de balie of voor een telefoontje",
        "Émettre un ticket au guichet ou pour un appel",
        "Issue a ticket at the desk or for a phone call",
        "Ticket am Schalter oder für einen Anruf ausstellen",
    ),
    "force": (
        "Ook na het laatste ticket of boven de daglimiet",
        "Même après le dernier ticket ou au-delà du plafond",
        "Also after the last ticket or above the daily cap",
        "Auch nach dem letzten Ticket oder über dem Tageslimit",
    ),
    "yes": ("ja", "oui", "yes", "ja"),
    "no": ("nee", "non", "no", "nein"),
    "form_keys": (
        "Pijl op/neer: kiezen · Enter: versturen · Esc: terug",
        "Flèches haut/bas : choisir · Entrée : envoyer · Échap : retour",
        "Up/down arrows: choose · Enter: send · Esc: back",
        "Pfeil auf/ab: wählen · Eingabe: senden · Esc: zurück",
    ),
    "prompt_keys": (
        "Enter: versturen · Esc: terug",
        "Entrée : envoyer · Échap : retour",
        "Enter: send · Esc: back",
        "Eingabe: senden · Esc: zurück",
    ),
}

#: Every message by id and language (a test checks that none is missing).
TEXTS: dict[str, dict[str, str]] = {
    key: dict(zip(LANGUAGES, words, strict=True)) for key, words in _TEXTS.items()
}


def texts(language: str) -> dict[str, str]:
    """Every message in `language` (Dutch when unknown)."""
    lang = language if language in LANGUAGES else "nl"
    return {key: words[lang] for key, words in TEXTS.items()}
