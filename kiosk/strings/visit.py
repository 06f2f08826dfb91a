"""Texts of the first screens, the keypad and the check-in: (nl, fr, en, de) per message id."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str, str, str]] = {
    # --- welcome and start ------------------------------------------------------------
    "welcome": ("Welkom", "Bienvenue", "Welcome", "Willkommen"),
    "touch_to_start": (
        "Raak het scherm aan om te beginnen",
        "Touchez l'écran pour commencer",
        "Touch the screen to start",
        "Berühren Sie den Bildschirm, um zu beginnen",
    ),
    "choose_language": ("Taal", "Langue", "Language", "Sprache"),
    "start_question": (
        "Hebt u een afspraak?",
        "Avez-vous un rendez-vous ?",
        "Do you have an appointment?",
        "Haben Sie einen Termin?",
    ),
    "have_appointment": (
        "Ja, ik heb een afspraak",
        "Oui, j'ai un rendez-vous",
        "Yes, I have an appointment",
        "Ja, ich habe einen Termin",
    ),
    "have_appointment_hint": (
        "Typ uw code of scan de QR-code van uw bevestiging",
        "Tapez votre code ou scannez le code QR de votre confirmation",
        "Type your code or scan the QR code from your confirmation",
        "Code eingeben oder QR-Code Ihrer Bestätigung scannen",
    ),
    "no_appointment": (
        "Nee, ik heb geen afspraak",
        "Non, je n'ai pas de rendez-vous",
        "No, I don't have an appointment",
        "Nein, ich habe keinen Termin",
    ),
    "no_appointment_hint": (
        "Kies waarvoor u komt en neem een ticket",
        "Choisissez pourquoi vous venez et prenez un ticket",
        "Choose what you came for and take a ticket",
        "Wählen Sie Ihr Anliegen und nehmen Sie ein Ticket",
    ),
    # --- keypad -----------------------------------------------------------------------
    "code_title": (
        "Typ uw afspraakcode",
        "Tapez votre code de rendez-vous",
        "Type your booking code",
        "Geben Sie Ihren Termincode ein",
    ),
    "code_hint": (
        "De code staat in uw bevestiging. U kunt ook de QR-code onder de scanner houden.",
        "Le code figure dans votre confirmation. Vous pouvez aussi présenter le code QR "
        "au scanner.",
        "The code is in your confirmation. You can also hold the QR code under the scanner.",
        "Der Code steht in Ihrer Bestätigung. Sie können auch den QR-Code unter den "
        "Scanner halten.",
    ),
    "key_delete": ("Wissen", "Effacer", "Delete", "Löschen"),
    "key_ok": ("Inchecken", "Valider", "Check in", "Einchecken"),
    "one_moment": ("Even geduld …", "Un instant …", "One moment …", "Einen Moment …"),
    # --- checked in -------------------------------------------------------------------
    "checked_in_title": (
        "U bent ingecheckt",
        "Votre arrivée est enregistrée",
        "You are checked in",
        "Sie sind eingecheckt",
    ),
    "already_checked_in": (
        "U was al ingecheckt. U krijgt uw ticket opnieuw.",
        "Votre arrivée était déjà enregistrée. Vous recevez à nouveau votre ticket.",
        "You had already checked in. You get your ticket again.",
        "Sie waren schon eingecheckt. Sie erhalten Ihr Ticket noch einmal.",
    ),
    "your_appointments": (
        "Uw afspraken vandaag",
        "Vos rendez-vous aujourd'hui",
        "Your appointments today",
        "Ihre Termine heute",
    ),
    "appointment_line": (
        "{time}  {service}",
        "{time}  {service}",
        "{time}  {service}",
        "{time}  {service}",
    ),
    "documents_title": (
        "Houd dit klaar",
        "Préparez ceci",
        "Please have these ready",
        "Bitte halten Sie bereit",
    ),
    "offer_question": (
        "U komt voor: {service}. Wilt u ook hulp voor: {offer}?",
        "Vous venez pour : {service}. Souhaitez-vous aussi de l'aide pour : {offer} ?",
        "You are here for: {service}. Would you also like help with: {offer}?",
        "Sie kommen für: {service}. Möchten Sie auch Hilfe bei: {offer}?",
    ),
    "yes": ("Ja", "Oui", "Yes", "Ja"),
    "no": ("Nee", "Non", "No", "Nein"),
    "offer_added": (
        "Toegevoegd aan uw bezoek: {service}",
        "Ajouté à votre visite : {service}",
        "Added to your visit: {service}",
        "Zu Ihrem Besuch hinzugefügt: {service}",
    ),
    "offer_failed": (
        "Dat lukte niet. Vraag het aan de balie.",
        "Cela n'a pas fonctionné. Demandez au guichet.",
        "That did not work. Please ask at the counter.",
        "Das hat nicht geklappt. Bitte fragen Sie am Schalter.",
    ),
    "get_ticket": (
        "Mijn ticket afdrukken",
        "Imprimer mon ticket",
        "Print my ticket",
        "Mein Ticket drucken",
    ),
    # --- check-in refused ---------------------------------------------------------------
    "refused_unknown_code_title": (
        "We vinden deze code niet",
        "Nous ne trouvons pas ce code",
        "We cannot find this code",
        "Wir finden diesen Code nicht",
    ),
    "refused_unknown_code_body": (
        "Kijk de code in uw bevestiging na en probeer het opnieuw. Lukt het niet? "
        "Vraag het aan het onthaal.",
        "Vérifiez le code dans votre confirmation et réessayez. Cela ne marche pas ? "
        "Demandez à l'accueil.",
        "Check the code in your confirmation and try again. Still not working? "
        "Please ask at the desk.",
        "Prüfen Sie den Code in Ihrer Bestätigung und versuchen Sie es noch einmal. "
        "Klappt es nicht? Fragen Sie am Empfang.",
    ),
    "refused_too_early_title": (
        "U bent vroeg",
        "Vous êtes en avance",
        "You are early",
        "Sie sind früh dran",
    ),
    "refused_too_early_body": (
        "U kunt inchecken vanaf {when}. Neem gerust even plaats.",
        "Vous pourrez vous enregistrer à partir de {when}. Installez-vous en attendant.",
        "You can check in from {when}. Please take a seat in the meantime.",
        "Sie können ab {when} einchecken. Nehmen Sie gern so lange Platz.",
    ),
    "refused_too_late_title": (
        "Het uur van uw afspraak is voorbij",
        "L'heure de votre rendez-vous est passée",
        "The time of your appointment has passed",
        "Die Zeit Ihres Termins ist vorbei",
    ),
    "refused_too_late_body": (
        "Vraag aan het onthaal wat nog kan. We helpen u graag.",
        "Demandez à l'accueil ce qui est encore possible. Nous vous aidons volontiers.",
        "Please ask at the desk what we can still do. We are glad to help.",
        "Fragen Sie am Empfang, was noch möglich ist. Wir helfen Ihnen gern.",
    ),
    "refused_other_day_title": (
        "Uw afspraak is op een andere dag",
        "Votre rendez-vous est un autre jour",
        "Your appointment is on another day",
        "Ihr Termin ist an einem anderen Tag",
    ),
    "refused_other_day_body": (
        "Uw afspraak is {when}. Kom dan terug, of vraag het aan het onthaal.",
        "Votre rendez-vous est {when}. Revenez à ce moment-là, ou demandez à l'accueil.",
        "Your appointment is {when}. Please come back then, or ask at the desk.",
        "Ihr Termin ist {when}. Kommen Sie dann wieder, oder fragen Sie am Empfang.",
    ),
    "refused_cancelled_title": (
        "Deze afspraak is geannuleerd",
        "Ce rendez-vous a été annulé",
        "This appointment was cancelled",
        "Dieser Termin wurde abgesagt",
    ),
    "refused_cancelled_body": (
        "Vraag aan het onthaal wat nog kan, of neem een ticket zonder afspraak.",
        "Demandez à l'accueil ce qui est encore possible, ou prenez un ticket sans rendez-vous.",
        "Please ask at the desk what we can still do, or take a ticket without an appointment.",
        "Fragen Sie am Empfang, was noch möglich ist, oder nehmen Sie ein Ticket ohne Termin.",
    ),
    "refused_other_title": (
        "Inchecken lukt niet",
        "L'enregistrement n'a pas fonctionné",
        "Check-in did not work",
        "Einchecken hat nicht geklappt",
    ),
    "refused_other_body": (
        "Vraag het aan het onthaal. We helpen u graag.",
        "Demandez à l'accueil. Nous vous aidons volontiers.",
        "Please ask at the desk. We are glad to help.",
        "Fragen Sie am Empfang. Wir helfen Ihnen gern.",
    ),
    "try_again": ("Opnieuw proberen", "Réessayer", "Try again", "Noch einmal versuchen"),
    "code_too_short": (
        "Deze code is te kort. Kijk uw bevestiging na.",
        "Ce code est trop court. Vérifiez votre confirmation.",
        "This code is too short. Please check your confirmation.",
        "Dieser Code ist zu kurz. Bitte prüfen Sie Ihre Bestätigung.",
    ),
}
