<?xml version='1.0' encoding='UTF-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>DesktopShell</name>
    <message>
        <location filename="../../desktop/ui/shell.py" line="79"/>
        <source>Pupitre is still running</source>
        <translation>Pupitre continue de fonctionner</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shell.py" line="80"/>
        <source>Open the console again from the tray icon.</source>
        <translation>Rouvrez la console depuis l’icône de la zone de notification.</translation>
    </message>
</context>
<context>
    <name>HealthView</name>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="28"/>
        <source>Meeting</source>
        <translation>Réunion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="29"/>
        <source>Gateway</source>
        <translation>Passerelle</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="30"/>
        <source>Audience stream</source>
        <translation>Flux du public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="31"/>
        <source>Chat</source>
        <translation>Discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="92"/>
        <source>Event log</source>
        <translation>Journal des événements</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/health_view.py" line="103"/>
        <source>%n participant(s)</source>
        <translation>
            <numerusform>%n participant</numerusform>
            <numerusform>%n participants</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../desktop/ui/labels.py" line="24"/>
        <source>Not live</source>
        <translation>Pas en direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="25"/>
        <source>Checking</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="26"/>
        <source>Creating the meeting</source>
        <translation>Création de la réunion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="27"/>
        <source>Waiting for the presenter</source>
        <translation>En attente de l’intervenant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="28"/>
        <source>Starting the stream</source>
        <translation>Démarrage du flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="29"/>
        <source>Live</source>
        <translation>En direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="30"/>
        <source>Stopping</source>
        <translation>Arrêt en cours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="31"/>
        <source>Stream stopped</source>
        <translation>Flux arrêté</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="32"/>
        <source>Ended</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="33"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="37"/>
        <source>Meeting created</source>
        <translation>Réunion créée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="38"/>
        <source>Presenter joined</source>
        <translation>Intervenant connecté</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="39"/>
        <source>Gateway started</source>
        <translation>Passerelle démarrée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="40"/>
        <source>Audience stream live</source>
        <translation>Flux du public en direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="44"/>
        <source>Good</source>
        <translation>Bon</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="45"/>
        <source>Warning</source>
        <translation>Attention</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="46"/>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="47"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
</context>
<context>
    <name>LivePanel</name>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="132"/>
        <source>End webinar</source>
        <translation>Terminer le webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="147"/>
        <source>Reopen my join link</source>
        <translation>Rouvrir mon lien de connexion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="149"/>
        <source>Copy audience link</source>
        <translation>Copier le lien du public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="151"/>
        <source>Restart live</source>
        <translation>Relancer le direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="153"/>
        <source>Chat in the stream</source>
        <translation>Discussion dans le flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="207"/>
        <source>No webinar selected</source>
        <translation>Aucun webinaire sélectionné</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="219"/>
        <source>Chat shown in the stream</source>
        <translation>Discussion affichée dans le flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="219"/>
        <source>Chat hidden in the stream</source>
        <translation>Discussion masquée dans le flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="240"/>
        <source>Go live</source>
        <translation>Passer en direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="241"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="242"/>
        <source>Stop live</source>
        <translation>Arrêter le direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="243"/>
        <source>Start live again</source>
        <translation>Reprendre le direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="244"/>
        <source>Stopping…</source>
        <translation>Arrêt…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="247"/>
        <source>Restarting…</source>
        <translation>Redémarrage…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="46"/>
        <source>Pupitre</source>
        <translation>Pupitre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="48"/>
        <source>Pupitre — lab</source>
        <translation>Pupitre — labo</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="57"/>
        <source>Welcome to Pupitre.
Add a BigBlueButton server and a streaming gateway to prepare your first webinar.</source>
        <translation>Bienvenue dans Pupitre.
Ajoutez un serveur BigBlueButton et une passerelle de diffusion pour préparer votre premier webinaire.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="59"/>
        <source>No webinar is running.</source>
        <translation>Aucun webinaire en cours.</translation>
    </message>
</context>
<context>
    <name>NotificationBanner</name>
    <message>
        <location filename="../../desktop/ui/notifications.py" line="115"/>
        <location filename="../../desktop/ui/notifications.py" line="116"/>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <location filename="../../desktop/ui/notifications.py" line="199"/>
        <source>%n new audience questions</source>
        <translation>
            <numerusform>%n nouvelle question du public</numerusform>
            <numerusform>%n nouvelles questions du public</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notifications.py" line="200"/>
        <source>Latest: %1</source>
        <translation>Dernière : %1</translation>
    </message>
</context>
<context>
    <name>PreviewWidget</name>
    <message>
        <location filename="../../desktop/ui/preview.py" line="176"/>
        <source>Measured delay between the presenter and the audience</source>
        <translation>Retard mesuré entre l’intervenant et le public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="185"/>
        <source>Preview volume</source>
        <translation>Volume de l’aperçu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="187"/>
        <source>Back to live</source>
        <translation>Revenir au direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="188"/>
        <source>Reopen the stream at its live edge</source>
        <translation>Rouvrir le flux au plus près du direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="227"/>
        <source>libVLC refused the player options (%1).</source>
        <translation>libVLC a refusé les options du lecteur (%1).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="244"/>
        <location filename="../../desktop/ui/preview.py" line="290"/>
        <source>No stream</source>
        <translation>Aucun flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="250"/>
        <source>The video preview needs libVLC, which could not be loaded.</source>
        <translation>L’aperçu vidéo a besoin de libVLC, qui n’a pas pu être chargée.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="251"/>
        <source>Everything else in Pupitre works without it.</source>
        <translation>Tout le reste de Pupitre fonctionne sans elle.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="253"/>
        <source>Debian or Ubuntu: sudo apt install libvlc5 vlc-plugin-base vlc-plugin-video-output</source>
        <translation>Debian ou Ubuntu : sudo apt install libvlc5 vlc-plugin-base vlc-plugin-video-output</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="254"/>
        <source>Windows: install VLC (64-bit) from https://www.videolan.org, then restart Pupitre.</source>
        <translation>Windows : installez VLC (64 bits) depuis https://www.videolan.org, puis relancez Pupitre.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="255"/>
        <source>macOS: install VLC in Applications (or: brew install --cask vlc), then restart Pupitre.</source>
        <translation>macOS : installez VLC dans Applications (ou : brew install --cask vlc), puis relancez Pupitre.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="257"/>
        <source>Details: %1</source>
        <translation>Détails : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="367"/>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="378"/>
        <source>Waiting for the stream…</source>
        <translation>En attente du flux…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="389"/>
        <source>Playing</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="405"/>
        <source>Unmute</source>
        <translation>Réactiver le son</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="405"/>
        <source>Mute</source>
        <translation>Couper le son</translation>
    </message>
</context>
<context>
    <name>PupitreApplication</name>
    <message>
        <location filename="../../desktop/ui/app.py" line="133"/>
        <source>Something went wrong</source>
        <translation>Un problème est survenu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="134"/>
        <source>Pupitre hit an unexpected error and carried on. Details are in the log.</source>
        <translation>Pupitre a rencontré une erreur inattendue et a continué. Les détails sont dans le journal.</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <location filename="../../desktop/ui/tray.py" line="98"/>
        <source>No webinar live</source>
        <translation>Aucun webinaire en direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="99"/>
        <source>A webinar starts soon</source>
        <translation>Un webinaire commence bientôt</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="100"/>
        <source>Live</source>
        <translation>En direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="101"/>
        <source>A live needs attention</source>
        <translation>Un direct demande votre attention</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="118"/>
        <source>Quit Pupitre?</source>
        <translation>Quitter Pupitre ?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="119"/>
        <source>A webinar is live: %1. Quitting closes the console; the stream keeps running until you stop it.</source>
        <translation>Un webinaire est en direct : %1. Quitter ferme la console ; le flux continue jusqu’à ce que vous l’arrêtiez.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="210"/>
        <source>Next: %1</source>
        <translation>Prochain : %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/tray.py" line="212"/>
        <source>%n unread message(s)</source>
        <translation>
            <numerusform>%n message non lu</numerusform>
            <numerusform>%n messages non lus</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="226"/>
        <source>Open console</source>
        <translation>Ouvrir la console</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="229"/>
        <source>Go live on next webinar</source>
        <translation>Passer en direct sur le prochain webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="231"/>
        <source>Go live: %1</source>
        <translation>Passer en direct : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="238"/>
        <source>Stop live</source>
        <translation>Arrêter le direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="240"/>
        <source>End webinar</source>
        <translation>Terminer le webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="241"/>
        <source>Open chat</source>
        <translation>Ouvrir la discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="243"/>
        <source>Open chat (%1 unread)</source>
        <translation>Ouvrir la discussion (%1 non lus)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="246"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
</context>
<context>
    <name>ChatItemDelegate</name>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="77"/>
        <source>Audience</source>
        <translation>Public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="78"/>
        <source>Panelist</source>
        <translation>Intervenant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="79"/>
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="80"/>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="187"/>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="189"/>
        <source>sending…</source>
        <translation>envoi…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="191"/>
        <source>not sent</source>
        <translation>non envoyé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="193"/>
        <source>deleted</source>
        <translation>supprimé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="195"/>
        <source>hidden</source>
        <translation>masqué</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="203"/>
        <source>answered</source>
        <translation>répondu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="342"/>
        <source>↪ in reply to %1</source>
        <translation>↪ en réponse à %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_delegate.py" line="344"/>
        <source>↪ in reply to an earlier message</source>
        <translation>↪ en réponse à un message précédent</translation>
    </message>
</context>
<context>
    <name>ChatWindow</name>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="82"/>
        <source>All</source>
        <translation>Tout</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="83"/>
        <source>Audience</source>
        <translation>Public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="84"/>
        <source>Questions</source>
        <translation>Questions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="85"/>
        <source>Starred</source>
        <translation>Favoris</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="86"/>
        <source>Unanswered</source>
        <translation>Sans réponse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="211"/>
        <source>Chat — %1</source>
        <translation>Discussion — %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="211"/>
        <source>Chat</source>
        <translation>Discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="281"/>
        <source>Search authors and messages</source>
        <translation>Rechercher auteurs et messages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="289"/>
        <source>Show hidden</source>
        <translation>Voir les masqués</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="292"/>
        <source>Blocked words…</source>
        <translation>Mots bloqués…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="295"/>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="297"/>
        <source>CSV (spreadsheet)…</source>
        <translation>CSV (tableur)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="298"/>
        <source>JSON…</source>
        <translation>JSON…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="299"/>
        <source>Markdown transcript…</source>
        <translation>Transcription Markdown…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="315"/>
        <location filename="../../desktop/ui/chat_window.py" line="571"/>
        <source>Star</source>
        <translation>Mettre en favori</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="316"/>
        <location filename="../../desktop/ui/chat_window.py" line="573"/>
        <source>Mark answered</source>
        <translation>Marquer comme répondu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="317"/>
        <location filename="../../desktop/ui/chat_window.py" line="574"/>
        <source>Hide</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="318"/>
        <location filename="../../desktop/ui/chat_window.py" line="576"/>
        <source>Mute this author</source>
        <translation>Ignorer cet auteur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="319"/>
        <source>Copy text</source>
        <translation>Copier le texte</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="320"/>
        <source>Reply</source>
        <translation>Répondre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="337"/>
        <source>Cancel the reply</source>
        <translation>Annuler la réponse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="346"/>
        <source>Answer the audience (Enter sends, Shift+Enter: new line)</source>
        <translation>Répondre au public (Entrée envoie, Maj+Entrée : nouvelle ligne)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="356"/>
        <source>Where the answer is sent</source>
        <translation>Par où la réponse est envoyée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="358"/>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/chat_window.py" line="462"/>
        <source>%n new message(s) ↓</source>
        <translation>
            <numerusform>%n nouveau message ↓</numerusform>
            <numerusform>%n nouveaux messages ↓</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="554"/>
        <source>Message copied.</source>
        <translation>Message copié.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="571"/>
        <source>Unstar</source>
        <translation>Retirer des favoris</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="573"/>
        <source>Mark unanswered</source>
        <translation>Marquer comme sans réponse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="574"/>
        <source>Show again</source>
        <translation>Afficher à nouveau</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="576"/>
        <source>Unmute this author</source>
        <translation>Ne plus ignorer cet auteur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="615"/>
        <source>Replying to %1</source>
        <translation>Réponse à %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="669"/>
        <source>No way to send answers right now</source>
        <translation>Aucun moyen d’envoyer des réponses pour l’instant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="670"/>
        <source>Answers are not available for this chat</source>
        <translation>Les réponses ne sont pas disponibles pour cette discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="694"/>
        <source>The answer is %1 characters long; the chat accepts at most %2.</source>
        <translation>La réponse fait %1 caractères ; la discussion en accepte au plus %2.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="702"/>
        <source>Write the answer after the quote.</source>
        <translation>Écrivez la réponse après la citation.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="707"/>
        <source>Answers can't be sent right now (the application is not running its network loop).</source>
        <translation>Les réponses ne peuvent pas être envoyées pour l’instant (l’application n’exécute pas sa boucle réseau).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="726"/>
        <source>The answer could not be sent because of an unexpected error.</source>
        <translation>La réponse n’a pas pu être envoyée à cause d’une erreur inattendue.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="760"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="761"/>
        <source>JSON files (*.json)</source>
        <translation>Fichiers JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="762"/>
        <source>Markdown files (*.md)</source>
        <translation>Fichiers Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="765"/>
        <source>Export the chat</source>
        <translation>Exporter la discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="784"/>
        <source>Webinar chat</source>
        <translation>Discussion du webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="787"/>
        <source>The chat could not be written to %1 (%2).</source>
        <translation>La discussion n’a pas pu être écrite dans %1 (%2).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/chat_window.py" line="791"/>
        <source>%n message(s) exported to %1.</source>
        <translation>
            <numerusform>%n message exporté dans %1.</numerusform>
            <numerusform>%n messages exportés dans %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EntriesPage</name>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="323"/>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="324"/>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="382"/>
        <location filename="../../desktop/ui/settings_forms.py" line="462"/>
        <source>(unnamed)</source>
        <translation>(sans nom)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="449"/>
        <source>Stored — type a new one to replace it</source>
        <translation>Enregistré — saisissez-en un nouveau pour le remplacer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="450"/>
        <source>Not stored yet</source>
        <translation>Pas encore enregistré</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="479"/>
        <source>Another entry already has the name “%1”.</source>
        <translation>Une autre entrée porte déjà le nom « %1 ».</translation>
    </message>
</context>
<context>
    <name>FieldRow</name>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="213"/>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="278"/>
        <source>Choose a CA bundle</source>
        <translation>Choisir un fichier d’autorités de certification</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="279"/>
        <source>Certificates (*.pem *.crt);;All files (*)</source>
        <translation>Certificats (*.pem *.crt);;Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>ModerationRulesDialog</name>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="47"/>
        <source>Blocked words and muted authors</source>
        <translation>Mots bloqués et auteurs ignorés</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="49"/>
        <source>Blocked words</source>
        <translation>Mots bloqués</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="50"/>
        <source>Messages containing one of these words or phrases are hidden (any case, with or without accents).</source>
        <translation>Les messages contenant l’un de ces mots ou expressions sont masqués (majuscules ou minuscules, avec ou sans accents).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="54"/>
        <source>Word or phrase</source>
        <translation>Mot ou expression</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="56"/>
        <source>Block</source>
        <translation>Bloquer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="58"/>
        <source>Unblock</source>
        <translation>Débloquer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="68"/>
        <source>Muted authors</source>
        <translation>Auteurs ignorés</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="70"/>
        <source>Unmute</source>
        <translation>Ne plus ignorer</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="60"/>
        <source>How often to check whether the presenter has joined (s)</source>
        <translation>Fréquence de vérification de l’arrivée du présentateur (s)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="61"/>
        <source>How often to check the meeting while live (s)</source>
        <translation>Fréquence de vérification de la réunion pendant le direct (s)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="62"/>
        <source>Consecutive “not running” answers before the live stops</source>
        <translation>Réponses « réunion arrêtée » consécutives avant l’arrêt du direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="63"/>
        <source>How long to wait for the gateway and the stream (s)</source>
        <translation>Délai d’attente de la passerelle et du flux (s)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="64"/>
        <source>How long to wait for the gateway to stop (s)</source>
        <translation>Délai d’attente de l’arrêt de la passerelle (s)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="65"/>
        <source>Name of the chat-monitoring user in the meeting</source>
        <translation>Nom de l’utilisateur qui suit la discussion dans la réunion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="66"/>
        <source>Sender name for answers sent with sendChatMessage (empty: your name)</source>
        <translation>Nom d’expéditeur des réponses envoyées par sendChatMessage (vide : votre nom)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="67"/>
        <source>Language (empty: follow the system)</source>
        <translation>Langue (vide : celle du système)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="68"/>
        <source>Start the preview muted</source>
        <translation>Démarrer l’aperçu sans le son</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="69"/>
        <source>Preview volume (0–100)</source>
        <translation>Volume de l’aperçu (0–100)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="70"/>
        <source>Notify new audience questions</source>
        <translation>Signaler les nouvelles questions du public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="71"/>
        <source>Minutes before a scheduled start to notify</source>
        <translation>Minutes avant un début programmé pour prévenir</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="76"/>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="77"/>
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="78"/>
        <source>Polling and timeouts</source>
        <translation>Interrogations et délais</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="79"/>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="105"/>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="178"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="183"/>
        <source>Use this server by default</source>
        <translation>Utiliser ce serveur par défaut</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="190"/>
        <source>BBB servers</source>
        <translation>Serveurs BBB</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="191"/>
        <source>Gateways</source>
        <translation>Passerelles</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="215"/>
        <location filename="../../desktop/ui/settings_dialog.py" line="463"/>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="216"/>
        <source>Check the selected server and every gateway, with the values above</source>
        <translation>Vérifier le serveur sélectionné et chaque passerelle, avec les valeurs ci-dessus</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="305"/>
        <source>Takes effect the next time Pupitre starts.</source>
        <translation>Prend effet au prochain démarrage de Pupitre.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="325"/>
        <source>Write whole minutes separated by commas, for example “10, 2”.</source>
        <translation>Indiquez des minutes entières séparées par des virgules, par exemple « 10, 2 ».</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="394"/>
        <source>The settings could not be saved: %1</source>
        <translation>Les paramètres n’ont pas pu être enregistrés : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="420"/>
        <source>Add a BBB server first.</source>
        <translation>Ajoutez d’abord un serveur BBB.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="428"/>
        <source>Correct the fields marked in red, then check again.</source>
        <translation>Corrigez les champs signalés en rouge, puis vérifiez à nouveau.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="433"/>
        <source>The check can't run right now (no network loop).</source>
        <translation>La vérification ne peut pas se lancer pour l’instant (pas de boucle réseau).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="443"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/settings_dialog.py" line="444"/>
        <source>Checking %1 and %n gateway(s)…</source>
        <translation>
            <numerusform>Vérification de %1 et de %n passerelle…</numerusform>
            <numerusform>Vérification de %1 et de %n passerelles…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="458"/>
        <source>The check stopped because of an unexpected error.</source>
        <translation>La vérification s’est arrêtée à cause d’une erreur inattendue.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/settings_dialog.py" line="479"/>
        <source>%n problem(s) found.</source>
        <translation>
            <numerusform>%n problème trouvé.</numerusform>
            <numerusform>%n problèmes trouvés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/settings_dialog.py" line="481"/>
        <source>Everything answers, with %n warning(s).</source>
        <translation>
            <numerusform>Tout répond, avec %n avertissement.</numerusform>
            <numerusform>Tout répond, avec %n avertissements.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="483"/>
        <source>Everything answers as expected.</source>
        <translation>Tout répond comme prévu.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="91"/>
        <source>Certificate checks are off: anyone on the network path could pose as this server and read the secret. Prefer a CA bundle.</source>
        <translation>La vérification des certificats est désactivée : n’importe qui sur le chemin réseau pourrait se faire passer pour ce serveur et lire le secret. Préférez un fichier d’autorités de certification.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="97"/>
        <location filename="../../desktop/ui/settings_forms.py" line="111"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="98"/>
        <source>campus</source>
        <translation>campus</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="99"/>
        <source>Server address</source>
        <translation>Adresse du serveur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="101"/>
        <source>Checksum algorithm</source>
        <translation>Algorithme de somme de contrôle</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="102"/>
        <source>Monitoring user's name</source>
        <translation>Nom de l’utilisateur de suivi</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="103"/>
        <source>The name under which Pupitre joins to read the chat.</source>
        <translation>Le nom sous lequel Pupitre rejoint la réunion pour lire la discussion.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="104"/>
        <location filename="../../desktop/ui/settings_forms.py" line="132"/>
        <source>CA bundle (PEM)</source>
        <translation>Autorités de certification (PEM)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="105"/>
        <location filename="../../desktop/ui/settings_forms.py" line="133"/>
        <source>Only for a private certificate authority</source>
        <translation>Seulement pour une autorité de certification privée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="106"/>
        <location filename="../../desktop/ui/settings_forms.py" line="134"/>
        <source>Do not verify the certificate</source>
        <translation>Ne pas vérifier le certificat</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="112"/>
        <source>gw1</source>
        <translation>gw1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="113"/>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="114"/>
        <source>sipmediagw-legacy: the API Esup-Pod uses; sipmediagw: the v1.8 proxy.</source>
        <translation>sipmediagw-legacy : l’API utilisée par Esup-Pod ; sipmediagw : le proxy v1.8.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="116"/>
        <source>Gateway address</source>
        <translation>Adresse de la passerelle</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="117"/>
        <source>RTMP publish address</source>
        <translation>Adresse de publication RTMP</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="119"/>
        <source>Audience stream (HLS)</source>
        <translation>Flux du public (HLS)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="121"/>
        <source>Audience page</source>
        <translation>Page du public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="123"/>
        <source>Join mode</source>
        <translation>Mode de connexion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="124"/>
        <source>bbb-join: Pupitre signs a viewer join link; join-page: the gateway opens the page below and types its name.</source>
        <translation>bbb-join : Pupitre signe un lien de participation spectateur ; join-page : la passerelle ouvre la page ci-dessous et y saisit son nom.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="127"/>
        <source>Join page</source>
        <translation>Page de connexion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="129"/>
        <source>For the join-page mode. {meeting_id} is replaced by the meeting's ID.</source>
        <translation>Pour le mode join-page. {meeting_id} est remplacé par l’identifiant de la réunion.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="131"/>
        <source>Browsing profile (v1.8)</source>
        <translation>Profil de navigation (v1.8)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="180"/>
        <source>There is no file at %1.</source>
        <translation>Il n’y a pas de fichier à l’emplacement %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="183"/>
        <source>The audience page address must start with https://.</source>
        <translation>L’adresse de la page du public doit commencer par https://.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="541"/>
        <source>Shared secret</source>
        <translation>Secret partagé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="550"/>
        <source>Token</source>
        <translation>Jeton</translation>
    </message>
</context>
</TS>