"""The live ticket page's words in Dutch, French, English and German, and how it says times."""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English", "de": "Deutsch"}

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "your_number": "Uw nummer",
        "languages": "Taal",
        "people_before_1": "Er is nog 1 persoon voor u.",
        "people_before": "Er zijn nog {n} personen voor u.",
        "next": "U bent de volgende.",
        "wait": "Verwachte wachttijd: {wait}.",
        "wait_short": "minder dan 2 minuten",
        "wait_minutes": "ongeveer {n} minuten",
        "waiting_hint": "U hoeft niet in de wachtzaal te blijven. Deze pagina vernieuwt "
        "vanzelf: kom terug als u bijna aan de beurt bent.",
        "appointment": "Afspraak om {time}.",
        "your_turn": "Het is uw beurt!",
        "go_to": "Ga naar",
        "called_again": "U wordt opnieuw opgeroepen.",
        "serving": "U wordt geholpen aan {counter}.",
        "held_until": "Uw ticket staat even opzij. U komt weer aan de beurt vanaf {time}, "
        "op uw plaats in de rij.",
        "held": "Uw ticket staat even opzij. Een medewerker roept u weer op.",
        "finished": "Afgelopen",
        "done": "Uw bezoek is afgelopen. Bedankt en tot ziens!",
        "not_valid": "Niet meer geldig",
        "cancelled": "Dit ticket is geannuleerd.",
        "no_show": "Uw nummer werd opgeroepen, maar u was er niet. Meld u aan het onthaal.",
        "other_day": "Dit ticket was voor een andere dag ({day}) en is niet meer geldig.",
        "unknown_title": "Onbekend ticket",
        "unknown": "We vinden dit ticket niet. Een ticket is alleen geldig op de dag dat het "
        "werd afgedrukt. Controleer de link of vraag het aan het onthaal.",
        "unreachable": "We krijgen nu geen verbinding met de wachtrij. Deze pagina probeert "
        "het vanzelf opnieuw.",
        "not_live": "Niet live: we krijgen nu geen verbinding met de wachtrij. Wat u hier "
        "ziet, kan verouderd zijn.",
        "updated": "Bijgewerkt om {time}",
        "noscript": "Deze pagina vernieuwt elke 30 seconden.",
        "delay_button": "Ik heb nog {n} minuten nodig",
        "delay_hint": "We slaan u dan even over; u behoudt uw plaats in de rij.",
        "note_delayed": "Goed: we slaan u {n} minuten over.",
        "note_refused": "Dat lukt nu niet meer: uw ticket wacht niet meer in de rij.",
        "note_once": "U hebt al om meer tijd gevraagd. Spreek een medewerker aan.",
        "note_unavailable": "Dat lukte niet: de wachtrij is nu niet bereikbaar. Probeer het "
        "zo opnieuw.",
    },
    "fr": {
        "your_number": "Votre numéro",
        "languages": "Langue",
        "people_before_1": "Il y a encore 1 personne avant vous.",
        "people_before": "Il y a encore {n} personnes avant vous.",
        "next": "Vous êtes le prochain.",
        "wait": "Attente prévue : {wait}.",
        "wait_short": "moins de 2 minutes",
        "wait_minutes": "environ {n} minutes",
        "waiting_hint": "Vous ne devez pas rester dans la salle d'attente. Cette page se met "
        "à jour toute seule : revenez quand votre tour approche.",
        "appointment": "Rendez-vous à {time}.",
        "your_turn": "C'est votre tour !",
        "go_to": "Présentez-vous à",
        "called_again": "Vous êtes appelé une nouvelle fois.",
        "serving": "Vous êtes servi à : {counter}.",
        "held_until": "Votre ticket est mis de côté. Votre tour revient à partir de {time}, "
        "à votre place dans la file.",
        "held": "Votre ticket est mis de côté. Un agent vous rappellera.",
        "finished": "Terminé",
        "done": "Votre visite est terminée. Merci et au revoir !",
        "not_valid": "Plus valable",
        "cancelled": "Ce ticket a été annulé.",
        "no_show": "Votre numéro a été appelé, mais vous n'étiez pas là. Adressez-vous à "
        "l'accueil.",
        "other_day": "Ce ticket était pour un autre jour ({day}) et n'est plus valable.",
        "unknown_title": "Ticket inconnu",
        "unknown": "Nous ne trouvons pas ce ticket. Un ticket n'est valable que le jour où "
        "il a été imprimé. Vérifiez le lien ou demandez à l'accueil.",
        "unreachable": "Nous ne joignons pas la file d'attente pour le moment. Cette page "
        "réessaie toute seule.",
        "not_live": "Pas en direct : nous ne joignons pas la file d'attente pour le moment. "
        "Ces informations peuvent être dépassées.",
        "updated": "Mis à jour à {time}",
        "noscript": "Cette page se recharge toutes les 30 secondes.",
        "delay_button": "J'ai besoin de {n} minutes de plus",
        "delay_hint": "Nous vous passons alors un moment ; vous gardez votre place dans la file.",
        "note_delayed": "C'est noté : nous vous passons pendant {n} minutes.",
        "note_refused": "Ce n'est plus possible : votre ticket n'est plus dans la file.",
        "note_once": "Vous avez déjà demandé plus de temps. Adressez-vous à un agent.",
        "note_unavailable": "Cela n'a pas marché : la file d'attente est injoignable. "
        "Réessayez dans un instant.",
    },
    "en": {
        "your_number": "Your number",
        "languages": "Language",
        "people_before_1": "There is 1 person before you.",
        "people_before": "There are {n} people before you.",
        "next": "You are next.",
        "wait": "Expected wait: {wait}.",
        "wait_short": "less than 2 minutes",
        "wait_minutes": "about {n} minutes",
        "waiting_hint": "You do not have to stay in the waiting room. This page updates by "
        "itself: come back when your turn is near.",
        "appointment": "Appointment at {time}.",
        "your_turn": "It is your turn!",
        "go_to": "Go to",
        "called_again": "You are being called again.",
        "serving": "You are being served at {counter}.",
        "held_until": "Your ticket is set aside. Your turn comes back from {time}, in your "
        "place in the queue.",
        "held": "Your ticket is set aside. A member of staff will call you again.",
        "finished": "Finished",
        "done": "Your visit is over. Thank you, and goodbye!",
        "not_valid": "No longer valid",
        "cancelled": "This ticket was cancelled.",
        "no_show": "Your number was called, but you were not there. Please go to the "
        "reception desk.",
        "other_day": "This ticket was for another day ({day}) and is no longer valid.",
        "unknown_title": "Unknown ticket",
        "unknown": "We cannot find this ticket. A ticket is valid only on the day it was "
        "printed. Check the link, or ask at the reception desk.",
        "unreachable": "We cannot reach the queue right now. This page keeps trying by itself.",
        "not_live": "Not live: we cannot reach the queue right now. What you see here may "
        "be out of date.",
        "updated": "Updated at {time}",
        "noscript": "This page reloads every 30 seconds.",
        "delay_button": "I need {n} more minutes",
        "delay_hint": "We will skip you for a while; you keep your place in the queue.",
        "note_delayed": "Done: we will skip you for {n} minutes.",
        "note_refused": "That is no longer possible: your ticket is not waiting any more.",
        "note_once": "You already asked for more time. Please speak to a member of staff.",
        "note_unavailable": "That did not work: the queue cannot be reached. Try again in a "
        "moment.",
    },
    "de": {
        "your_number": "Ihre Nummer",
        "languages": "Sprache",
        "people_before_1": "Vor Ihnen ist noch 1 Person.",
        "people_before": "Vor Ihnen sind noch {n} Personen.",
        "next": "Sie sind als Nächstes an der Reihe.",
        "wait": "Voraussichtliche Wartezeit: {wait}.",
        "wait_short": "weniger als 2 Minuten",
        "wait_minutes": "etwa {n} Minuten",
        "waiting_hint": "Sie müssen nicht im Wartebereich bleiben. Diese Seite aktualisiert "
        "sich von selbst: Kommen Sie zurück, wenn Sie bald an der Reihe sind.",
        "appointment": "Termin um {time}.",
        "your_turn": "Sie sind an der Reihe!",
        "go_to": "Bitte zu",
        "called_again": "Sie werden erneut aufgerufen.",
        "serving": "Sie werden bedient an: {counter}.",
        "held_until": "Ihr Ticket ist zurückgestellt. Ab {time} sind Sie wieder an der "
        "Reihe, auf Ihrem Platz in der Warteschlange.",
        "held": "Ihr Ticket ist zurückgestellt. Ein Mitarbeiter ruft Sie wieder auf.",
        "finished": "Erledigt",
        "done": "Ihr Besuch ist beendet. Vielen Dank und auf Wiedersehen!",
        "not_valid": "Nicht mehr gültig",
        "cancelled": "Dieses Ticket wurde storniert.",
        "no_show": "Ihre Nummer wurde aufgerufen, aber Sie waren nicht da. Bitte wenden Sie "
        "sich an den Empfang.",
        "other_day": "Dieses Ticket war für einen anderen Tag ({day}) und ist nicht mehr gültig.",
        "unknown_title": "Unbekanntes Ticket",
        "unknown": "Wir finden dieses Ticket nicht. Ein Ticket gilt nur an dem Tag, an dem "
        "es gedruckt wurde. Prüfen Sie den Link oder fragen Sie am Empfang.",
        "unreachable": "Die Warteschlange ist gerade nicht erreichbar. Diese Seite versucht "
        "es von selbst weiter.",
        "not_live": "Nicht live: Die Warteschlange ist gerade nicht erreichbar. Diese "
        "Angaben sind vielleicht veraltet.",
        "updated": "Aktualisiert um {time}",
        "noscript": "Diese Seite lädt alle 30 Sekunden neu.",
        "delay_button": "Ich brauche noch {n} Minuten",
        "delay_hint": "Wir überspringen Sie dann kurz; Sie behalten Ihren Platz in der "
        "Warteschlange.",
        "note_delayed": "In Ordnung: Wir überspringen Sie {n} Minuten lang.",
        "note_refused": "Das geht nicht mehr: Ihr Ticket wartet nicht mehr.",
        "note_once": "Sie haben schon um mehr Zeit gebeten. Bitte sprechen Sie einen "
        "Mitarbeiter an.",
        "note_unavailable": "Das hat nicht geklappt: Die Warteschlange ist nicht erreichbar. "
        "Versuchen Sie es gleich noch einmal.",
    },
}

#: Notes a redirect may ask the page to show (after "I need more minutes").
NOTES = frozenset({"delayed", "refused", "once", "unavailable"})


def text(language: str, key: str, **values: object) -> str:
    """One text in `language` (English if the language has no such text)."""
    template = TEXTS.get(language, TEXTS["en"]).get(key) or TEXTS["en"][key]
    return template.format(**values) if values else template


def wait_words(language: str, seconds: int) -> str:
    """An expected wait as people say it: short, a few minutes, or rounded to five."""
    if seconds < 120:
        return text(language, "wait_short")
    minutes = math.ceil(seconds / 60)
    if minutes > 10:
        minutes = 5 * round(minutes / 5)
    return text(language, "wait_minutes", n=minutes)


def clock_time(value: str | datetime, tz: ZoneInfo) -> str:
    """A time of day in the site's time zone, 24-hour clock (14:05)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(tz).strftime("%H:%M")


def day_words(language: str, day: str) -> str:
    """A date as written in the language (German with dots, the others with slashes)."""
    value = date.fromisoformat(day)
    return value.strftime("%d.%m.%Y" if language == "de" else "%d/%m/%Y")


def pick_language(offered: tuple[str, ...], *, asked: str | None, accept: str | None,
                  ticket: str | None, default: str) -> str:  # fmt: skip
    """The page's language: asked on the page, else the ticket's, else the browser's."""
    for choice in (asked, ticket):
        if choice in offered:
            return choice
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in offered:
            return code
    return default if default in offered else offered[0]
