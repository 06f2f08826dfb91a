"""Texts of the ticket, the idle question, help, accessibility, care-home mode and offline."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str, str, str]] = {
    # --- ticket -------------------------------------------------------------------------
    "ticket_title": ("Uw nummer", "Votre numéro", "Your number", "Ihre Nummer"),
    "printing": (
        "Uw ticket wordt afgedrukt …",
        "Votre ticket s'imprime …",
        "Your ticket is printing …",
        "Ihr Ticket wird gedruckt …",
    ),
    "take_ticket": (
        "Neem uw ticket. Neem plaats: uw nummer verschijnt op het scherm in de wachtzaal.",
        "Prenez votre ticket. Installez-vous : votre numéro s'affichera sur l'écran de la "
        "salle d'attente.",
        "Take your ticket. Please take a seat: your number will appear on the screen in the "
        "waiting room.",
        "Nehmen Sie Ihr Ticket. Nehmen Sie Platz: Ihre Nummer erscheint auf dem Bildschirm "
        "im Wartebereich.",
    ),
    "position": (
        "U bent nummer {position} in de rij",
        "Vous êtes n° {position} dans la file",
        "You are number {position} in the queue",
        "Sie sind Nummer {position} in der Warteschlange",
    ),
    "appointment_at": (
        "Uw afspraak: {time}",
        "Votre rendez-vous : {time}",
        "Your appointment: {time}",
        "Ihr Termin: {time}",
    ),
    "follow_on_phone": (
        "Volg uw beurt op uw smartphone: scan de QR-code",
        "Suivez votre tour sur votre smartphone : scannez le code QR",
        "Follow your turn on your phone: scan the QR code",
        "Verfolgen Sie Ihren Aufruf auf dem Smartphone: QR-Code scannen",
    ),
    "print_failed_title": (
        "De printer werkt niet",
        "L'imprimante ne fonctionne pas",
        "The printer is not working",
        "Der Drucker funktioniert nicht",
    ),
    "print_failed_body": (
        "Uw plaats in de rij is wel bewaard. Onthoud uw nummer of neem een foto van dit scherm.",
        "Votre place dans la file est bien enregistrée. Retenez votre numéro ou prenez "
        "une photo de cet écran.",
        "Your place in the queue is saved. Remember your number or take a photo of this screen.",
        "Ihr Platz in der Warteschlange ist gespeichert. Merken Sie sich Ihre Nummer oder "
        "fotografieren Sie diesen Bildschirm.",
    ),
    "print_failed_done": (
        "Ik heb mijn nummer",
        "J'ai noté mon numéro",
        "I have my number",
        "Ich habe meine Nummer",
    ),
    "done": ("Klaar", "Terminé", "Done", "Fertig"),
    "printer_down_banner": (
        "De printer werkt niet: uw nummer verschijnt op het scherm.",
        "L'imprimante ne fonctionne pas : votre numéro s'affichera à l'écran.",
        "The printer is not working: your number will be shown on the screen.",
        "Der Drucker funktioniert nicht: Ihre Nummer wird auf dem Bildschirm angezeigt.",
    ),
    # --- offline ------------------------------------------------------------------------
    "offline_banner": (
        "Even geen verbinding. U kunt wel een ticket nemen.",
        "Pas de connexion pour l'instant. Vous pouvez quand même prendre un ticket.",
        "No connection just now. You can still take a ticket.",
        "Gerade keine Verbindung. Sie können trotzdem ein Ticket nehmen.",
    ),
    "offline_banner_desk": (
        "Even geen verbinding. Vraag uw ticket aan het onthaal.",
        "Pas de connexion pour l'instant. Demandez votre ticket à l'accueil.",
        "No connection just now. Please ask for your ticket at the desk.",
        "Gerade keine Verbindung. Bitte fragen Sie am Empfang nach Ihrem Ticket.",
    ),
    "offline_checkin_title": (
        "Inchecken kan nu even niet",
        "L'enregistrement n'est pas possible pour l'instant",
        "Check-in is not possible just now",
        "Einchecken ist gerade nicht möglich",
    ),
    "offline_checkin_body": (
        "We hebben even geen verbinding. Uw afspraak blijft geldig. Neem een ticket zonder "
        "afspraak of vraag het aan het onthaal.",
        "Nous n'avons pas de connexion pour l'instant. Votre rendez-vous reste valable. "
        "Prenez un ticket sans rendez-vous ou demandez à l'accueil.",
        "We have no connection just now. Your appointment still stands. Take a ticket "
        "without an appointment or ask at the desk.",
        "Wir haben gerade keine Verbindung. Ihr Termin bleibt gültig. Nehmen Sie ein Ticket "
        "ohne Termin oder fragen Sie am Empfang.",
    ),
    "take_walk_in_ticket": (
        "Ticket zonder afspraak",
        "Ticket sans rendez-vous",
        "Ticket without appointment",
        "Ticket ohne Termin",
    ),
    "offline_ticket_note": (
        "Gemaakt zonder verbinding. Uw plaats in de rij is bewaard.",
        "Émis sans connexion. Votre place dans la file est gardée.",
        "Issued without a connection. Your place in the queue is kept.",
        "Ohne Verbindung erstellt. Ihr Platz in der Warteschlange bleibt erhalten.",
    ),
    "no_ticket_title": (
        "Er kan nu geen ticket gemaakt worden",
        "Impossible de faire un ticket pour l'instant",
        "We cannot make a ticket just now",
        "Wir können gerade kein Ticket erstellen",
    ),
    "no_ticket_body": (
        "Vraag het aan het onthaal. We helpen u graag.",
        "Demandez à l'accueil. Nous vous aidons volontiers.",
        "Please ask at the desk. We are glad to help.",
        "Fragen Sie am Empfang. Wir helfen Ihnen gern.",
    ),
    # --- idle, help, navigation -----------------------------------------------------------
    "idle_title": (
        "Hebt u meer tijd nodig?",
        "Avez-vous besoin de plus de temps ?",
        "Do you need more time?",
        "Brauchen Sie mehr Zeit?",
    ),
    "idle_yes": (
        "Ja, ik heb meer tijd nodig",
        "Oui, j'ai besoin de plus de temps",
        "Yes, I need more time",
        "Ja, ich brauche mehr Zeit",
    ),
    "idle_no": (
        "Nee, opnieuw beginnen",
        "Non, recommencer",
        "No, start again",
        "Nein, neu beginnen",
    ),
    "ask_staff": ("Hulp vragen", "Demander de l'aide", "Ask for help", "Hilfe holen"),
    "help_title": ("Hulp nodig?", "Besoin d'aide ?", "Need help?", "Brauchen Sie Hilfe?"),
    "help_body": (
        "Een medewerker van het onthaal helpt u graag. Ga naar het onthaal of spreek een "
        "medewerker aan.",
        "Un collaborateur de l'accueil vous aide volontiers. Rendez-vous à l'accueil ou "
        "adressez-vous à un membre du personnel.",
        "Someone at the desk will gladly help you. Go to the reception desk or speak to a "
        "member of staff.",
        "Jemand am Empfang hilft Ihnen gern. Gehen Sie zum Empfang oder sprechen Sie eine "
        "Mitarbeiterin oder einen Mitarbeiter an.",
    ),
    "close": ("Sluiten", "Fermer", "Close", "Schließen"),
    "back": ("Terug", "Retour", "Back", "Zurück"),
    "home": ("Opnieuw beginnen", "Recommencer", "Start again", "Neu beginnen"),
    # --- accessibility ------------------------------------------------------------------
    "accessibility": (
        "Beter lezen en horen",
        "Lire et entendre plus facilement",
        "Easier to read and hear",
        "Leichter lesen und hören",
    ),
    "large_text": ("Grotere tekst", "Texte plus grand", "Larger text", "Größere Schrift"),
    "high_contrast": ("Sterk contrast", "Contraste élevé", "High contrast", "Hoher Kontrast"),
    "read_aloud": ("Voorlezen", "Lecture à voix haute", "Read aloud", "Vorlesen"),
    "on": ("Aan", "Activé", "On", "An"),
    "off": ("Uit", "Désactivé", "Off", "Aus"),
    "headphones_hint": (
        "U kunt een koptelefoon aansluiten op de zuil.",
        "Vous pouvez brancher un casque sur la borne.",
        "You can plug headphones into the kiosk.",
        "Sie können Kopfhörer an die Säule anschließen.",
    ),
    # --- care-home mode and spoken guidance -------------------------------------------------
    "care_prompt_one": (
        "Welkom. Druk op de grote knop voor een ticket.",
        "Bienvenue. Appuyez sur le grand bouton pour un ticket.",
        "Welcome. Press the big button for a ticket.",
        "Willkommen. Drücken Sie die große Taste für ein Ticket.",
    ),
    "care_prompt_two": (
        "Welkom. Druk op de bovenste knop voor {first}, of op de onderste knop voor {second}.",
        "Bienvenue. Appuyez sur le bouton du haut pour {first}, ou sur celui du bas pour {second}.",
        "Welcome. Press the top button for {first}, or the bottom button for {second}.",
        "Willkommen. Drücken Sie die obere Taste für {first} oder die untere Taste für {second}.",
    ),
    "say_ticket": (
        "Uw nummer is {number}. Neem uw ticket en neem plaats. U wordt afgeroepen.",
        "Votre numéro est {number}. Prenez votre ticket et installez-vous. On vous appellera.",
        "Your number is {number}. Take your ticket and take a seat. We will call you.",
        "Ihre Nummer ist {number}. Nehmen Sie Ihr Ticket und nehmen Sie Platz. Sie werden "
        "aufgerufen.",
    ),
    "say_ticket_no_print": (
        "Uw nummer is {number}. De printer werkt niet. Onthoud uw nummer, of vraag het aan "
        "het onthaal.",
        "Votre numéro est {number}. L'imprimante ne fonctionne pas. Retenez votre numéro, "
        "ou demandez à l'accueil.",
        "Your number is {number}. The printer is not working. Remember your number, or ask "
        "at the desk.",
        "Ihre Nummer ist {number}. Der Drucker funktioniert nicht. Merken Sie sich Ihre "
        "Nummer oder fragen Sie am Empfang.",
    ),
}
