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
</TS>