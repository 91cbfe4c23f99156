<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="54"/>
        <source>About Pupitre</source>
        <translation>À propos de Pupitre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="62"/>
        <source>The presenter&apos;s console for large BigBlueButton webinars.</source>
        <translation>La console de l’intervenant pour les grands webinaires BigBlueButton.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="86"/>
        <source>Copy versions</source>
        <translation>Copier les versions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="87"/>
        <source>Copy these lines, for a problem report</source>
        <translation>Copier ces lignes pour signaler un problème</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="90"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="91"/>
        <source>Every keyboard shortcut (F1 in any window)</source>
        <translation>Tous les raccourcis clavier (F1 dans chaque fenêtre)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="104"/>
        <source>%1 (secrets kept for this session only)</source>
        <translation>%1 (secrets conservés pour cette session seulement)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="106"/>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="107"/>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="107"/>
        <source>not installed</source>
        <translation>non installé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="108"/>
        <source>libVLC</source>
        <translation>libVLC</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="108"/>
        <source>not found: the preview is off</source>
        <translation>introuvable&#xa0;: l’aperçu est désactivé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="109"/>
        <source>Keyring</source>
        <translation>Trousseau de clés</translation>
    </message>
</context>
<context>
    <name>Announce</name>
    <message>
        <location filename="../../desktop/ui/announce.py" line="76"/>
        <source>%1 is live: the audience sees you.</source>
        <translation>%1 est en direct&#xa0;: le public vous voit.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/announce.py" line="80"/>
        <source>%1 is no longer live.</source>
        <translation>%1 n’est plus en direct.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/announce.py" line="94"/>
        <source>Question from %1: %2</source>
        <translation>Question de %1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>AutostartCheckBox</name>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="139"/>
        <source>Start Pupitre at login</source>
        <translation>Lancer Pupitre à l’ouverture de session</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="151"/>
        <source>Pupitre opens when you log in.</source>
        <translation>Pupitre se lance à l’ouverture de votre session.</translation>
    </message>
</context>
<context>
    <name>ChatItemDelegate</name>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="66"/>
        <source>Audience</source>
        <translation>Public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="67"/>
        <source>Panelist</source>
        <translation>Intervenant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="68"/>
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="69"/>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="418"/>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="419"/>
        <source>sending…</source>
        <translation>envoi…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="420"/>
        <source>not sent</source>
        <translation>non envoyé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="421"/>
        <source>deleted</source>
        <translation>supprimé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="422"/>
        <source>hidden</source>
        <translation>masqué</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="423"/>
        <source>answered</source>
        <translation>répondu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="424"/>
        <source>↪ in reply to %1</source>
        <translation>↪ en réponse à %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_painter.py" line="425"/>
        <source>↪ in reply to an earlier message</source>
        <translation>↪ en réponse à un message précédent</translation>
    </message>
</context>
<context>
    <name>ChatList</name>
    <message>
        <location filename="../../desktop/ui/chat_list.py" line="70"/>
        <source>Jump to the newest messages</source>
        <translation>Aller aux derniers messages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_list.py" line="71"/>
        <source>Scroll to the newest message and follow the chat again</source>
        <translation>Défiler jusqu’au dernier message et suivre à nouveau la discussion</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../desktop/ui/chat_access.py" line="54"/>
        <source>starred</source>
        <translation>favori</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_access.py" line="55"/>
        <source>answered</source>
        <translation>répondu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_access.py" line="56"/>
        <source>in reply to %1</source>
        <translation>en réponse à %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_access.py" line="57"/>
        <source>in reply to an earlier message</source>
        <translation>en réponse à un message précédent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_access.py" line="58"/>
        <source>at %1</source>
        <translation>à %1</translation>
    </message>
</context>
<context>
    <name>ChatWindow</name>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="70"/>
        <source>All</source>
        <translation>Tout</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="71"/>
        <source>Audience</source>
        <translation>Public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="72"/>
        <source>Questions</source>
        <translation>Questions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="73"/>
        <source>Starred</source>
        <translation>Favoris</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="74"/>
        <source>Unanswered</source>
        <translation>Sans réponse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="77"/>
        <source>Show every message</source>
        <translation>Afficher tous les messages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="78"/>
        <source>Show only the audience&apos;s messages</source>
        <translation>Afficher seulement les messages du public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="79"/>
        <source>Show only the questions</source>
        <translation>Afficher seulement les questions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="80"/>
        <source>Show only the starred messages</source>
        <translation>Afficher seulement les messages favoris</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="81"/>
        <source>Show only the questions not answered yet</source>
        <translation>Afficher seulement les questions encore sans réponse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="126"/>
        <source>Chat — %1</source>
        <translation>Discussion — %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="126"/>
        <source>Chat</source>
        <translation>Discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="204"/>
        <source>Search authors and messages</source>
        <translation>Rechercher auteurs et messages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="212"/>
        <source>Show hidden</source>
        <translation>Voir les masqués</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="215"/>
        <source>Blocked words…</source>
        <translation>Mots bloqués…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="218"/>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="220"/>
        <source>CSV (spreadsheet)…</source>
        <translation>CSV (tableur)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="221"/>
        <source>JSON…</source>
        <translation>JSON…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="222"/>
        <source>Markdown transcript…</source>
        <translation>Transcription Markdown…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="241"/>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="243"/>
        <source>The chat, newest message at the bottom. Up and Down move between the messages; %1 stars the message, %2 marks it answered, %3 replies, %4 goes to the answer box; F1 lists every key.</source>
        <translation>La discussion, dernier message en bas. Haut et Bas passent d’un message à l’autre&#xa0;; %1 met le message en favori, %2 le marque comme répondu, %3 y répond, %4 va à la zone de réponse&#xa0;; F1 liste toutes les touches.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="248"/>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="249"/>
        <source>Show only the messages whose author or text contains these words</source>
        <translation>Afficher seulement les messages dont l’auteur ou le texte contient ces mots</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="252"/>
        <source>Clear the search</source>
        <translation>Effacer la recherche</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="253"/>
        <source>Also show hidden messages and those of muted authors</source>
        <translation>Afficher aussi les messages masqués et ceux des auteurs ignorés</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="255"/>
        <source>Words that hide a message, and muted authors</source>
        <translation>Les mots qui masquent un message, et les auteurs ignorés</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="257"/>
        <source>Save the chat as a spreadsheet, JSON or Markdown file</source>
        <translation>Enregistrer la discussion en tableur, JSON ou Markdown</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="426"/>
        <source>Exporting the chat…</source>
        <translation>Export de la discussion en cours…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_actions.py" line="59"/>
        <location filename="../../desktop/ui/chat_actions.py" line="133"/>
        <source>Star</source>
        <translation>Mettre en favori</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_actions.py" line="60"/>
        <location filename="../../desktop/ui/chat_actions.py" line="134"/>
        <source>Mark answered</source>
        <translation>Marquer comme répondu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_actions.py" line="61"/>
        <location filename="../../desktop/ui/chat_actions.py" line="135"/>
        <source>Hide</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_actions.py" line="62"/>
        <location filename="../../desktop/ui/chat_actions.py" line="137"/>
        <source>Mute this author</source>
        <translation>Ignorer cet auteur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_actions.py" line="63"/>
        <source>Copy text</source>
        <translation>Copier le texte</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_actions.py" line="64"/>
        <source>Reply</source>
        <translation>Répondre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="113"/>
        <source>Cancel the reply</source>
        <translation>Annuler la réponse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="123"/>
        <source>Answer the audience (Enter sends, Shift+Enter: new line)</source>
        <translation>Répondre au public (Entrée envoie, Maj+Entrée&#xa0;: nouvelle ligne)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="126"/>
        <source>Answer</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="127"/>
        <source>Your answer to the audience: Enter sends it, Shift+Enter starts a new line</source>
        <translation>Votre réponse au public&#xa0;: Entrée l’envoie, Maj+Entrée commence une nouvelle ligne</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="137"/>
        <source>Where the answer is sent</source>
        <translation>Par où la réponse est envoyée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="138"/>
        <source>Send to</source>
        <translation>Envoyer par</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="141"/>
        <source>Characters used in the answer, out of the most the chat accepts</source>
        <translation>Caractères utilisés dans la réponse, sur le maximum accepté par la discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="143"/>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="144"/>
        <source>Send the answer to the audience</source>
        <translation>Envoyer la réponse au public</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/chat_window.py" line="129"/>
        <source>%n new message(s) ↓</source>
        <translation>
            <numerusform>%n nouveau message ↓</numerusform>
            <numerusform>%n nouveaux messages ↓</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_actions.py" line="115"/>
        <source>Message copied.</source>
        <translation>Message copié.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_actions.py" line="133"/>
        <source>Unstar</source>
        <translation>Retirer des favoris</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_actions.py" line="134"/>
        <source>Mark unanswered</source>
        <translation>Marquer comme sans réponse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_actions.py" line="135"/>
        <source>Show again</source>
        <translation>Afficher à nouveau</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_actions.py" line="137"/>
        <source>Unmute this author</source>
        <translation>Ne plus ignorer cet auteur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="188"/>
        <source>Replying to %1</source>
        <translation>Réponse à %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="217"/>
        <source>%1 of %2 characters</source>
        <translation>%1 caractères sur %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="248"/>
        <source>No way to send answers right now</source>
        <translation>Aucun moyen d’envoyer des réponses pour l’instant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="250"/>
        <source>Answers are not available for this chat</source>
        <translation>Les réponses ne sont pas disponibles pour cette discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="274"/>
        <source>The answer is %1 characters long; the chat accepts at most %2.</source>
        <translation>La réponse fait %1 caractères&#xa0;; la discussion en accepte au plus %2.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="283"/>
        <source>Write the answer after the quote.</source>
        <translation>Écrivez la réponse après la citation.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="288"/>
        <source>Answers can&apos;t be sent right now (the application is not running its network loop).</source>
        <translation>Les réponses ne peuvent pas être envoyées pour l’instant (l’application n’exécute pas sa boucle réseau).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_composer.py" line="309"/>
        <source>The answer could not be sent because of an unexpected error.</source>
        <translation>La réponse n’a pas pu être envoyée à cause d’une erreur inattendue.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_export.py" line="79"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_export.py" line="80"/>
        <source>JSON files (*.json)</source>
        <translation>Fichiers JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_export.py" line="81"/>
        <source>Markdown files (*.md)</source>
        <translation>Fichiers Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_export.py" line="85"/>
        <source>Export the chat</source>
        <translation>Exporter la discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_window.py" line="425"/>
        <location filename="../../desktop/ui/chat_window.py" line="440"/>
        <source>Webinar chat</source>
        <translation>Discussion du webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_export.py" line="63"/>
        <source>The chat could not be written to %1 (%2).</source>
        <translation>La discussion n’a pas pu être écrite dans %1 (%2).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/chat_window.py" line="447"/>
        <source>%n message(s) exported to %1.</source>
        <translation>
            <numerusform>%n message exporté dans %1.</numerusform>
            <numerusform>%n messages exportés dans %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckPanel</name>
    <message>
        <location filename="../../desktop/ui/check_view.py" line="72"/>
        <location filename="../../desktop/ui/check_view.py" line="124"/>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/check_view.py" line="78"/>
        <source>Check results</source>
        <translation>Résultats de la vérification</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/check_view.py" line="102"/>
        <source>The check can&apos;t run right now (no network loop).</source>
        <translation>La vérification ne peut pas se lancer pour l’instant (pas de boucle réseau).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/check_view.py" line="105"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/check_view.py" line="106"/>
        <source>Checking %1 and %n gateway(s)…</source>
        <translation>
            <numerusform>Vérification de %1 et de %n passerelle…</numerusform>
            <numerusform>Vérification de %1 et de %n passerelles…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/check_view.py" line="119"/>
        <source>The check stopped because of an unexpected error.</source>
        <translation>La vérification s’est arrêtée à cause d’une erreur inattendue.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/check_view.py" line="140"/>
        <source>%n problem(s) found.</source>
        <translation>
            <numerusform>%n problème trouvé.</numerusform>
            <numerusform>%n problèmes trouvés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/check_view.py" line="142"/>
        <source>Everything answers, with %n warning(s).</source>
        <translation>
            <numerusform>Tout répond, avec %n avertissement.</numerusform>
            <numerusform>Tout répond, avec %n avertissements.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/check_view.py" line="144"/>
        <source>Everything answers as expected.</source>
        <translation>Tout répond comme prévu.</translation>
    </message>
</context>
<context>
    <name>ConsolePage</name>
    <message>
        <location filename="../../desktop/ui/console.py" line="78"/>
        <source>“%1” repeats: every occurrence of the series will be removed from the schedule.</source>
        <translation>«&#xa0;%1&#xa0;» se répète&#xa0;: toutes les occurrences de la série seront retirées du programme.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="81"/>
        <source>“%1” will be removed from the schedule.</source>
        <translation>«&#xa0;%1&#xa0;» sera retiré du programme.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="82"/>
        <source>Remove the webinar?</source>
        <translation>Supprimer le webinaire&#xa0;?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="84"/>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="93"/>
        <source>Stop the live?</source>
        <translation>Arrêter le direct&#xa0;?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="94"/>
        <source>The audience of “%1” stops seeing you. The meeting goes on: you can start the live again.</source>
        <translation>Le public de «&#xa0;%1&#xa0;» ne vous verra plus. La réunion continue&#xa0;: vous pourrez relancer le direct.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="98"/>
        <source>Stop live</source>
        <translation>Arrêter le direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="108"/>
        <source>in %1</source>
        <translation>dans %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="110"/>
        <source>started %1 ago</source>
        <translation>commencé il y a %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="111"/>
        <source>Next: %1 — %2</source>
        <translation>Prochain&#xa0;: %1 — %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="188"/>
        <source>Lab: a BigBlueButton server and streaming gateways run on this computer; nothing is saved to your settings or keyring, and everything goes away when you quit.</source>
        <translation>Labo&#xa0;: un serveur BigBlueButton et des passerelles de diffusion tournent sur cet ordinateur&#xa0;; rien n’est enregistré dans vos paramètres ni dans votre trousseau, et tout disparaît quand vous quittez.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="202"/>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="204"/>
        <source>About</source>
        <translation>À propos</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="206"/>
        <source>Versions, home page, and the lines to copy into a problem report</source>
        <translation>Versions, page d’accueil et lignes à copier pour signaler un problème</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="208"/>
        <source>Open the audience chat</source>
        <translation>Ouvrir la discussion du public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="212"/>
        <source>Opens the chat window of the selected webinar</source>
        <translation>Ouvre la fenêtre de discussion du webinaire sélectionné</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="519"/>
        <source>delay %1</source>
        <translation>retard %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="566"/>
        <source>The webinar is in progress</source>
        <translation>Le webinaire est en cours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="567"/>
        <source>End the webinar before removing it.</source>
        <translation>Terminez le webinaire avant de le supprimer.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="575"/>
        <source>The webinar was not removed</source>
        <translation>Le webinaire n’a pas été supprimé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/console.py" line="642"/>
        <source>The webinar was not saved</source>
        <translation>Le webinaire n’a pas été enregistré</translation>
    </message>
</context>
<context>
    <name>DesktopShell</name>
    <message>
        <location filename="../../desktop/ui/shell.py" line="102"/>
        <source>Starting the lab…</source>
        <translation>Démarrage du labo…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shell.py" line="143"/>
        <source>No chat yet</source>
        <translation>Pas encore de discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shell.py" line="144"/>
        <source>The audience chat opens once the presenter has joined the meeting.</source>
        <translation>La discussion du public s’ouvre dès que l’intervenant a rejoint la réunion.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shell.py" line="151"/>
        <source>Starting the lab</source>
        <translation>Démarrage du labo</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shell.py" line="175"/>
        <source>Opening the console</source>
        <translation>Ouverture de la console</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shell.py" line="194"/>
        <source>Pupitre — lab</source>
        <translation>Pupitre — labo</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shell.py" line="194"/>
        <source>Pupitre</source>
        <translation>Pupitre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shell.py" line="231"/>
        <source>Pupitre is still running</source>
        <translation>Pupitre continue de fonctionner</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shell.py" line="232"/>
        <source>Open the console again from the tray icon.</source>
        <translation>Rouvrez la console depuis l’icône de la zone de notification.</translation>
    </message>
</context>
<context>
    <name>EntriesPage</name>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="324"/>
        <source>Entries: choose one to edit it</source>
        <translation>Entrées&#xa0;: choisissez-en une pour la modifier</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="325"/>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="326"/>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="385"/>
        <location filename="../../desktop/ui/settings_forms.py" line="465"/>
        <source>(unnamed)</source>
        <translation>(sans nom)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="452"/>
        <source>Stored — type a new one to replace it</source>
        <translation>Enregistré — saisissez-en un nouveau pour le remplacer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="453"/>
        <source>Not stored yet</source>
        <translation>Pas encore enregistré</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="482"/>
        <source>Another entry already has the name “%1”.</source>
        <translation>Une autre entrée porte déjà le nom «&#xa0;%1&#xa0;».</translation>
    </message>
</context>
<context>
    <name>FieldRow</name>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="214"/>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="279"/>
        <source>Choose a CA bundle</source>
        <translation>Choisir un fichier d’autorités de certification</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="280"/>
        <source>Certificates (*.pem *.crt);;All files (*)</source>
        <translation>Certificats (*.pem *.crt);;Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>HealthView</name>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="24"/>
        <source>Meeting</source>
        <translation>Réunion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="25"/>
        <source>Gateway</source>
        <translation>Passerelle</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="26"/>
        <source>Audience stream</source>
        <translation>Flux du public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/health_view.py" line="27"/>
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
        <location filename="../../desktop/ui/live_style.py" line="24"/>
        <source>Not live</source>
        <translation>Pas en direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_style.py" line="25"/>
        <source>Checking</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_style.py" line="26"/>
        <source>Creating the meeting</source>
        <translation>Création de la réunion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_style.py" line="27"/>
        <source>Waiting for the presenter</source>
        <translation>En attente de l’intervenant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_style.py" line="28"/>
        <source>Starting the stream</source>
        <translation>Démarrage du flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_style.py" line="29"/>
        <source>Live</source>
        <translation>En direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_style.py" line="30"/>
        <source>Stopping</source>
        <translation>Arrêt en cours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_style.py" line="31"/>
        <source>Stream stopped</source>
        <translation>Flux arrêté</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_style.py" line="32"/>
        <source>Ended</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_style.py" line="33"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="25"/>
        <source>Meeting created</source>
        <translation>Réunion créée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="26"/>
        <source>Presenter joined</source>
        <translation>Intervenant connecté</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="27"/>
        <source>Gateway started</source>
        <translation>Passerelle démarrée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="28"/>
        <source>Audience stream live</source>
        <translation>Flux du public en direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="32"/>
        <source>Good</source>
        <translation>Bon</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="33"/>
        <source>Warning</source>
        <translation>Attention</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="34"/>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="35"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
</context>
<context>
    <name>LivePanel</name>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="114"/>
        <source>End webinar</source>
        <translation>Terminer le webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="129"/>
        <source>Reopen my join link</source>
        <translation>Rouvrir mon lien de connexion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="131"/>
        <source>Copy audience link</source>
        <translation>Copier le lien du public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="133"/>
        <source>Restart live</source>
        <translation>Relancer le direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="135"/>
        <location filename="../../desktop/ui/live_panel.py" line="273"/>
        <source>Chat in the stream</source>
        <translation>Discussion dans le flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="137"/>
        <source>Asks the gateway to show or hide BBB&apos;s chat panel in what the audience sees</source>
        <translation>Demande à la passerelle d’afficher ou de masquer le panneau de discussion de BBB dans ce que voit le public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="139"/>
        <source>Stops the audience stream and starts it again</source>
        <translation>Arrête le flux du public et le relance</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="140"/>
        <source>Copies the link the audience watches to the clipboard</source>
        <translation>Copie dans le presse-papiers le lien que regarde le public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="192"/>
        <source>On air</source>
        <translation>À l’antenne</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="195"/>
        <source>ON AIR</source>
        <translation>À L’ANTENNE</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="199"/>
        <source>Time on air</source>
        <translation>Temps à l’antenne</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="224"/>
        <source>No webinar selected</source>
        <translation>Aucun webinaire sélectionné</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="275"/>
        <source>Chat in the stream: shown by default</source>
        <translation>Discussion dans le flux&#xa0;: affichée par défaut</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="276"/>
        <source>BBB shows its chat panel when the gateway joins. A click asks the gateway to hide it; the gateway cannot confirm it: check the preview.</source>
        <translation>BBB affiche son panneau de discussion quand la passerelle rejoint la réunion. Un clic demande à la passerelle de le masquer&#xa0;; elle ne peut pas le confirmer&#xa0;: vérifiez l’aperçu.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="279"/>
        <source>Chat in the stream: showing requested</source>
        <translation>Discussion dans le flux&#xa0;: affichage demandé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="280"/>
        <source>Pupitre asked the gateway to show BBB&apos;s chat panel; the gateway cannot confirm it: check the preview. A click asks it to hide the panel.</source>
        <translation>Pupitre a demandé à la passerelle d’afficher le panneau de discussion de BBB&#xa0;; elle ne peut pas le confirmer&#xa0;: vérifiez l’aperçu. Un clic lui demande de le masquer.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="283"/>
        <source>Chat in the stream: hiding requested</source>
        <translation>Discussion dans le flux&#xa0;: masquage demandé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="284"/>
        <source>Pupitre asked the gateway to hide BBB&apos;s chat panel; the gateway cannot confirm it: check the preview. A click asks it to show the panel again.</source>
        <translation>Pupitre a demandé à la passerelle de masquer le panneau de discussion de BBB&#xa0;; elle ne peut pas le confirmer&#xa0;: vérifiez l’aperçu. Un clic lui demande de l’afficher à nouveau.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="287"/>
        <source>Chat shown in the stream</source>
        <translation>Discussion affichée dans le flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="287"/>
        <source>Chat hidden in the stream</source>
        <translation>Discussion masquée dans le flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="320"/>
        <source>On air for %1</source>
        <translation>À l’antenne depuis %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="253"/>
        <source>Go live</source>
        <translation>Passer en direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="112"/>
        <source>The main action for this webinar: go live, cancel, stop or start again, as the state allows</source>
        <translation>L’action principale de ce webinaire&#xa0;: passer en direct, annuler, arrêter ou relancer, selon l’état</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="254"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="255"/>
        <source>Stop live</source>
        <translation>Arrêter le direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="256"/>
        <source>Start live again</source>
        <translation>Reprendre le direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="258"/>
        <source>Stopping…</source>
        <translation>Arrêt…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/live_panel.py" line="257"/>
        <source>Restarting…</source>
        <translation>Redémarrage…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="56"/>
        <source>Pupitre</source>
        <translation>Pupitre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="58"/>
        <source>Pupitre — lab</source>
        <translation>Pupitre — labo</translation>
    </message>
</context>
<context>
    <name>ModerationRulesDialog</name>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="48"/>
        <source>Blocked words and muted authors</source>
        <translation>Mots bloqués et auteurs ignorés</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="50"/>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="60"/>
        <source>Blocked words</source>
        <translation>Mots bloqués</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="51"/>
        <source>Messages containing one of these words or phrases are hidden (any case, with or without accents).</source>
        <translation>Les messages contenant l’un de ces mots ou expressions sont masqués (majuscules ou minuscules, avec ou sans accents).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="55"/>
        <source>Word or phrase</source>
        <translation>Mot ou expression</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="57"/>
        <source>Word or phrase to block</source>
        <translation>Mot ou expression à bloquer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="58"/>
        <source>Block</source>
        <translation>Bloquer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="61"/>
        <source>Unblock</source>
        <translation>Débloquer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="71"/>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="73"/>
        <source>Muted authors</source>
        <translation>Auteurs ignorés</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_rules_dialog.py" line="74"/>
        <source>Unmute</source>
        <translation>Ne plus ignorer</translation>
    </message>
</context>
<context>
    <name>NotificationBanner</name>
    <message>
        <location filename="../../desktop/ui/notifications.py" line="126"/>
        <location filename="../../desktop/ui/notifications.py" line="127"/>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <location filename="../../desktop/ui/notifications.py" line="234"/>
        <source>%n new audience questions</source>
        <translation>
            <numerusform>%n nouvelle question du public</numerusform>
            <numerusform>%n nouvelles questions du public</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notifications.py" line="235"/>
        <source>Latest: %1</source>
        <translation>Dernière&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="55"/>
        <source>How often to check whether the presenter has joined (s)</source>
        <translation>Fréquence de vérification de l’arrivée de l’intervenant (s)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="56"/>
        <source>How often to check the meeting while live (s)</source>
        <translation>Fréquence de vérification de la réunion pendant le direct (s)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="57"/>
        <source>Consecutive “not running” answers before the live stops</source>
        <translation>Réponses «&#xa0;réunion arrêtée&#xa0;» consécutives avant l’arrêt du direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="58"/>
        <source>How long to wait for the gateway and the stream (s)</source>
        <translation>Délai d’attente de la passerelle et du flux (s)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="59"/>
        <source>How long to wait for the gateway to stop (s)</source>
        <translation>Délai d’attente de l’arrêt de la passerelle (s)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="60"/>
        <source>Name of the chat-monitoring user in the meeting</source>
        <translation>Nom de l’utilisateur qui suit la discussion dans la réunion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="61"/>
        <source>Sender name for answers sent with sendChatMessage (empty: your name)</source>
        <translation>Nom d’expéditeur des réponses envoyées par sendChatMessage (vide&#xa0;: votre nom)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="62"/>
        <source>Language (empty: follow the system)</source>
        <translation>Langue (vide&#xa0;: celle du système)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="63"/>
        <source>Start the preview muted</source>
        <translation>Démarrer l’aperçu sans le son</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="64"/>
        <source>Preview volume (0–100)</source>
        <translation>Volume de l’aperçu (0–100)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="65"/>
        <source>Notify new audience questions</source>
        <translation>Signaler les nouvelles questions du public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="66"/>
        <source>Minutes before a scheduled start to notify</source>
        <translation>Minutes avant un début programmé pour prévenir</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="67"/>
        <source>Record each live (what the audience sees) into the Videos folder</source>
        <translation>Enregistrer chaque direct (ce que voit le public) dans le dossier Vidéos</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="68"/>
        <source>Folder of the recordings (empty: Videos/Pupitre)</source>
        <translation>Dossier des enregistrements (vide&#xa0;: Vidéos/Pupitre)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="69"/>
        <source>Free disk space to keep while recording (MB)</source>
        <translation>Espace disque à garder libre pendant un enregistrement (Mo)</translation>
    </message>
</context>
<context>
    <name>PreviewWidget</name>
    <message>
        <location filename="../../desktop/ui/preview.py" line="246"/>
        <source>Measured delay between the presenter and the audience</source>
        <translation>Retard mesuré entre l’intervenant et le public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="257"/>
        <source>Preview volume</source>
        <translation>Volume de l’aperçu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="259"/>
        <source>Back to live</source>
        <translation>Revenir au direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="260"/>
        <source>Reopen the stream at its live edge</source>
        <translation>Rouvrir le flux au plus près du direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="306"/>
        <source>libVLC refused the player options (%1).</source>
        <translation>libVLC a refusé les options du lecteur (%1).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="227"/>
        <location filename="../../desktop/ui/preview.py" line="323"/>
        <location filename="../../desktop/ui/preview.py" line="411"/>
        <source>No stream</source>
        <translation>Aucun flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="251"/>
        <source>Mutes or unmutes the preview&apos;s sound on this computer; the audience is not affected</source>
        <translation>Coupe ou rétablit le son de l’aperçu sur cet ordinateur&#xa0;; le public n’est pas concerné</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="330"/>
        <source>The video preview needs libVLC, which could not be loaded.</source>
        <translation>L’aperçu vidéo a besoin de libVLC, qui n’a pas pu être chargée.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="331"/>
        <source>Everything else in Pupitre works without it.</source>
        <translation>Tout le reste de Pupitre fonctionne sans elle.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="333"/>
        <source>Debian or Ubuntu: sudo apt install libvlc5 vlc-plugin-base vlc-plugin-video-output</source>
        <translation>Debian ou Ubuntu&#xa0;: sudo apt install libvlc5 vlc-plugin-base vlc-plugin-video-output</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="334"/>
        <source>Windows: install VLC (64-bit) from https://www.videolan.org, then restart Pupitre.</source>
        <translation>Windows&#xa0;: installez VLC (64 bits) depuis https://www.videolan.org, puis relancez Pupitre.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="335"/>
        <source>macOS: install VLC in Applications (or: brew install --cask vlc), then restart Pupitre.</source>
        <translation>macOS&#xa0;: installez VLC dans Applications (ou&#xa0;: brew install --cask vlc), puis relancez Pupitre.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="337"/>
        <source>Details: %1</source>
        <translation>Détails&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="521"/>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="533"/>
        <source>Waiting for the stream…</source>
        <translation>En attente du flux…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="544"/>
        <source>Playing</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="589"/>
        <source>Unmute</source>
        <translation>Réactiver le son</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/preview.py" line="589"/>
        <source>Mute</source>
        <translation>Couper le son</translation>
    </message>
</context>
<context>
    <name>PupitreApplication</name>
    <message>
        <location filename="../../desktop/ui/app.py" line="232"/>
        <source>Something went wrong</source>
        <translation>Un problème est survenu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="233"/>
        <source>Pupitre hit an unexpected error and carried on. Details are in the log.</source>
        <translation>Pupitre a rencontré une erreur inattendue et a continué. Les détails sont dans le journal.</translation>
    </message>
</context>
<context>
    <name>QuestionAnnouncer</name>
    <message>
        <location filename="../../desktop/ui/question_announcer.py" line="66"/>
        <source>New questions: %1. The latest, from %2: %3</source>
        <translation>Nouvelles questions&#xa0;: %1. La dernière, de %2&#xa0;: %3</translation>
    </message>
</context>
<context>
    <name>RecordingSwitch</name>
    <message>
        <location filename="../../desktop/ui/recording_switch.py" line="38"/>
        <location filename="../../desktop/ui/recording_switch.py" line="40"/>
        <source>Record the live</source>
        <translation>Enregistrer le direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recording_switch.py" line="42"/>
        <source>Saves what the audience sees, without re-encoding, into one video file per live in your Videos folder</source>
        <translation>Enregistre ce que voit le public, sans réencodage, dans un fichier vidéo par direct de votre dossier Vidéos</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recording_switch.py" line="94"/>
        <source>Recording into “%1”: %2 min %3 s, %4 chapter(s).</source>
        <translation>Enregistrement dans «&#xa0;%1&#xa0;»&#xa0;: %2&#xa0;min %3&#xa0;s, %4 chapitre(s).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recording_switch.py" line="97"/>
        <source>Recorded into “%1”.</source>
        <translation>Enregistré dans «&#xa0;%1&#xa0;».</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <location filename="../../desktop/ui/recovery_dialog.py" line="113"/>
        <source>Lives left running</source>
        <translation>Directs restés en cours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recovery_dialog.py" line="119"/>
        <source>Pupitre did not close properly last time (started %1). These webinars may still be running:</source>
        <translation>Pupitre ne s’est pas fermé correctement la dernière fois (lancé le %1). Ces webinaires sont peut-être encore en cours&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recovery_dialog.py" line="122"/>
        <source>Pupitre was not watching these webinars when it started. They may still be running:</source>
        <translation>Pupitre ne surveillait pas ces webinaires à son démarrage. Ils sont peut-être encore en cours&#xa0;:</translation>
    </message>
</context>
<context>
    <name>RecoveryRow</name>
    <message>
        <location filename="../../desktop/ui/recovery_dialog.py" line="47"/>
        <source>Resume monitoring</source>
        <translation>Reprendre la surveillance</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recovery_dialog.py" line="48"/>
        <source>Stop the stream</source>
        <translation>Arrêter le flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recovery_dialog.py" line="49"/>
        <source>Forget</source>
        <translation>Oublier</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recovery_dialog.py" line="60"/>
        <location filename="../../desktop/ui/recovery_dialog.py" line="61"/>
        <source>Recommended</source>
        <translation>Recommandé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recovery_dialog.py" line="78"/>
        <source>Working…</source>
        <translation>En cours…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recovery_dialog.py" line="89"/>
        <source>Monitoring resumed.</source>
        <translation>Surveillance reprise.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recovery_dialog.py" line="90"/>
        <source>The stream was stopped.</source>
        <translation>Le flux a été arrêté.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/recovery_dialog.py" line="91"/>
        <source>Forgotten.</source>
        <translation>Oublié.</translation>
    </message>
</context>
<context>
    <name>ServersDialog</name>
    <message>
        <location filename="../../desktop/ui/servers_dialog.py" line="45"/>
        <source>Connect to my servers</source>
        <translation>Se connecter à mes serveurs</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/servers_dialog.py" line="86"/>
        <source>The settings could not be saved: %1</source>
        <translation>Les paramètres n’ont pas pu être enregistrés&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>ServersEditor</name>
    <message>
        <location filename="../../desktop/ui/servers_editor.py" line="47"/>
        <source>Use this server by default</source>
        <translation>Utiliser ce serveur par défaut</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/servers_editor.py" line="54"/>
        <source>BBB servers</source>
        <translation>Serveurs BBB</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/servers_editor.py" line="55"/>
        <source>Gateways</source>
        <translation>Passerelles</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/servers_editor.py" line="59"/>
        <source>Check the selected server and every gateway, with the values above</source>
        <translation>Vérifier le serveur sélectionné et chaque passerelle, avec les valeurs ci-dessus</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/servers_editor.py" line="93"/>
        <source>Add a BBB server first.</source>
        <translation>Ajoutez d’abord un serveur BBB.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/servers_editor.py" line="102"/>
        <source>Correct the fields marked in red, then check again.</source>
        <translation>Corrigez les champs signalés en rouge, puis vérifiez à nouveau.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="74"/>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="75"/>
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="76"/>
        <source>Polling and timeouts</source>
        <translation>Interrogations et délais</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="77"/>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="104"/>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="177"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="296"/>
        <source>Takes effect the next time Pupitre starts.</source>
        <translation>Prend effet au prochain démarrage de Pupitre.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="318"/>
        <source>Write whole minutes separated by commas, for example “10, 2”.</source>
        <translation>Indiquez des minutes entières séparées par des virgules, par exemple «&#xa0;10, 2&#xa0;».</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="338"/>
        <source>The settings could not be saved: %1</source>
        <translation>Les paramètres n’ont pas pu être enregistrés&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="90"/>
        <source>Certificate checks are off: anyone on the network path could pose as this server and read the secret. Prefer a CA bundle.</source>
        <translation>La vérification des certificats est désactivée&#xa0;: n’importe qui sur le chemin réseau pourrait se faire passer pour ce serveur et lire le secret. Préférez un fichier d’autorités de certification.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="96"/>
        <location filename="../../desktop/ui/settings_forms.py" line="110"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="97"/>
        <source>campus</source>
        <translation>campus</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="98"/>
        <source>Server address</source>
        <translation>Adresse du serveur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="100"/>
        <source>Checksum algorithm</source>
        <translation>Algorithme de somme de contrôle</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="101"/>
        <source>Monitoring user&apos;s name</source>
        <translation>Nom de l’utilisateur de suivi</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="102"/>
        <source>The name under which Pupitre joins to read the chat.</source>
        <translation>Le nom sous lequel Pupitre rejoint la réunion pour lire la discussion.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="103"/>
        <location filename="../../desktop/ui/settings_forms.py" line="131"/>
        <source>CA bundle (PEM)</source>
        <translation>Autorités de certification (PEM)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="104"/>
        <location filename="../../desktop/ui/settings_forms.py" line="132"/>
        <source>Only for a private certificate authority</source>
        <translation>Seulement pour une autorité de certification privée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="105"/>
        <location filename="../../desktop/ui/settings_forms.py" line="133"/>
        <source>Do not verify the certificate</source>
        <translation>Ne pas vérifier le certificat</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="111"/>
        <source>gw1</source>
        <translation>gw1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="112"/>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="113"/>
        <source>sipmediagw-legacy: the API Esup-Pod uses; sipmediagw: the v1.8 proxy.</source>
        <translation>sipmediagw-legacy&#xa0;: l’API utilisée par Esup-Pod&#xa0;; sipmediagw&#xa0;: le proxy v1.8.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="115"/>
        <source>Gateway address</source>
        <translation>Adresse de la passerelle</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="116"/>
        <source>RTMP publish address</source>
        <translation>Adresse de publication RTMP</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="118"/>
        <source>Audience stream (HLS)</source>
        <translation>Flux du public (HLS)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="120"/>
        <source>Audience page</source>
        <translation>Page du public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="122"/>
        <source>Join mode</source>
        <translation>Mode de connexion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="123"/>
        <source>bbb-join: Pupitre signs a viewer join link; join-page: the gateway opens the page below and types its name.</source>
        <translation>bbb-join&#xa0;: Pupitre signe un lien de participation spectateur&#xa0;; join-page&#xa0;: la passerelle ouvre la page ci-dessous et y saisit son nom.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="126"/>
        <source>Join page</source>
        <translation>Page de connexion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="128"/>
        <source>For the join-page mode. {meeting_id} is replaced by the meeting&apos;s ID.</source>
        <translation>Pour le mode join-page. {meeting_id} est remplacé par l’identifiant de la réunion.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="130"/>
        <source>Browsing profile (v1.8)</source>
        <translation>Profil de navigation (v1.8)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="179"/>
        <source>There is no file at %1.</source>
        <translation>Il n’y a pas de fichier à l’emplacement %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="182"/>
        <source>The audience page address must start with https://.</source>
        <translation>L’adresse de la page du public doit commencer par https://.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="544"/>
        <source>Shared secret</source>
        <translation>Secret partagé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_forms.py" line="553"/>
        <source>Token</source>
        <translation>Jeton</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="64"/>
        <source>Everywhere</source>
        <translation>Partout</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="65"/>
        <source>Console</source>
        <translation>Console</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="66"/>
        <source>Chat window</source>
        <translation>Fenêtre de discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="67"/>
        <source>Selected chat message</source>
        <translation>Message sélectionné de la discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="68"/>
        <source>Answer box</source>
        <translation>Zone de réponse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="107"/>
        <source>Show the keyboard shortcuts</source>
        <translation>Afficher les raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="109"/>
        <source>Go live with the selected webinar</source>
        <translation>Passer en direct avec le webinaire sélectionné</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="111"/>
        <source>Stop the live (asks for confirmation first)</source>
        <translation>Arrêter le direct (après confirmation)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="113"/>
        <source>Open the chat of the selected webinar</source>
        <translation>Ouvrir la discussion du webinaire sélectionné</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="114"/>
        <source>Mute or unmute the preview</source>
        <translation>Couper ou rétablir le son de l’aperçu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="116"/>
        <source>Bring the preview back to the live edge</source>
        <translation>Ramener l’aperçu au direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="117"/>
        <source>Refresh the schedule and the meetings</source>
        <translation>Actualiser le programme et les réunions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="118"/>
        <source>Schedule a new webinar</source>
        <translation>Programmer un nouveau webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="119"/>
        <source>Open the settings</source>
        <translation>Ouvrir les réglages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="120"/>
        <source>Quit Pupitre</source>
        <translation>Quitter Pupitre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="121"/>
        <source>Go to the answer box</source>
        <translation>Aller à la zone de réponse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="122"/>
        <source>Go to the messages</source>
        <translation>Aller aux messages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="123"/>
        <source>Search the messages</source>
        <translation>Chercher dans les messages</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="124"/>
        <source>Star or unstar the message</source>
        <translation>Marquer ou démarquer le message d’une étoile</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="125"/>
        <source>Mark the question answered</source>
        <translation>Marquer la question comme répondue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="126"/>
        <source>Reply to the message</source>
        <translation>Répondre au message</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="127"/>
        <source>Hide the message</source>
        <translation>Masquer le message</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="128"/>
        <source>Mute the message&apos;s author</source>
        <translation>Rendre muet l’auteur du message</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="129"/>
        <source>Copy the message&apos;s text</source>
        <translation>Copier le texte du message</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="130"/>
        <source>Send the answer</source>
        <translation>Envoyer la réponse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="132"/>
        <source>New line in the answer</source>
        <translation>Nouvelle ligne dans la réponse</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="193"/>
        <location filename="../../desktop/ui/shortcuts.py" line="198"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="194"/>
        <source>Tab and Shift+Tab move between the controls of a window; these keys reach the main actions directly.</source>
        <translation>Tab et Maj+Tab passent d’un contrôle à l’autre dans une fenêtre&#xa0;; ces touches mènent directement aux actions principales.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="200"/>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="200"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <location filename="../../desktop/ui/theme.py" line="137"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/theme.py" line="138"/>
        <source>Warning</source>
        <translation>Attention</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/theme.py" line="139"/>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/theme.py" line="140"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/theme.py" line="141"/>
        <source>On air</source>
        <translation>À l’antenne</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/theme.py" line="142"/>
        <source>Working</source>
        <translation>En cours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/theme.py" line="143"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <location filename="../../desktop/ui/tray.py" line="51"/>
        <source>No webinar live</source>
        <translation>Aucun webinaire en direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="52"/>
        <source>A webinar starts soon</source>
        <translation>Un webinaire commence bientôt</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="53"/>
        <source>Live</source>
        <translation>En direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="54"/>
        <source>A live needs attention</source>
        <translation>Un direct demande votre attention</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="71"/>
        <source>Quit Pupitre?</source>
        <translation>Quitter Pupitre&#xa0;?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="72"/>
        <source>A webinar is live: %1. Quitting closes the console; the stream keeps running until you stop it.</source>
        <translation>Un webinaire est en direct&#xa0;: %1. Quitter ferme la console&#xa0;; le flux continue jusqu’à ce que vous l’arrêtiez.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="173"/>
        <source>%1: ON AIR for %2</source>
        <translation>%1&#xa0;: À L’ANTENNE depuis %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="177"/>
        <source>Next: %1</source>
        <translation>Prochain&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/tray.py" line="179"/>
        <source>%n unread message(s)</source>
        <translation>
            <numerusform>%n message non lu</numerusform>
            <numerusform>%n messages non lus</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="200"/>
        <source>Open console</source>
        <translation>Ouvrir la console</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="203"/>
        <source>Go live on next webinar</source>
        <translation>Passer en direct sur le prochain webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="205"/>
        <source>Go live: %1</source>
        <translation>Passer en direct&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="212"/>
        <source>Stop live</source>
        <translation>Arrêter le direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="216"/>
        <source>End webinar</source>
        <translation>Terminer le webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="217"/>
        <source>Open chat</source>
        <translation>Ouvrir la discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="219"/>
        <source>Open chat (%1 unread)</source>
        <translation>Ouvrir la discussion (%1 non lus)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="222"/>
        <source>About Pupitre</source>
        <translation>À propos de Pupitre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="223"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
</context>
<context>
    <name>WebinarController</name>
    <message>
        <location filename="../../desktop/ui/controller.py" line="212"/>
        <source>A setting cannot be used</source>
        <translation>Un paramètre est inutilisable</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="245"/>
        <source>Settings saved</source>
        <translation>Paramètres enregistrés</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="246"/>
        <source>They apply once the webinar in progress has ended and Pupitre is restarted.</source>
        <translation>Ils s’appliqueront une fois le webinaire en cours terminé et Pupitre relancé.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="248"/>
        <source>Applying the settings</source>
        <translation>Application des paramètres</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="252"/>
        <source>Demo webinar</source>
        <translation>Webinaire de démonstration</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="303"/>
        <source>Something failed</source>
        <translation>Une opération a échoué</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="310"/>
        <source>Something went wrong</source>
        <translation>Un problème est survenu</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="311"/>
        <source>Pupitre hit an unexpected error and carried on. Details are in the log.</source>
        <translation>Pupitre a rencontré une erreur inattendue et a continué. Les détails sont dans le journal.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/controller.py" line="366"/>
        <source>%1 starts in %n minute(s)</source>
        <translation>
            <numerusform>%1 commence dans %n minute</numerusform>
            <numerusform>%1 commence dans %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="367"/>
        <source>Scheduled at %1. Open the console to go live.</source>
        <translation>Prévu à %1. Ouvrez la console pour passer en direct.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="451"/>
        <source>Go live</source>
        <translation>Passer en direct</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="484"/>
        <source>No webinar scheduled</source>
        <translation>Aucun webinaire programmé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="485"/>
        <source>Schedule a webinar in the console first.</source>
        <translation>Programmez d’abord un webinaire dans la console.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="512"/>
        <source>Webinar action</source>
        <translation>Action sur le webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="537"/>
        <source>No join link yet</source>
        <translation>Pas encore de lien de connexion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="538"/>
        <source>The presenter&apos;s join link exists once the meeting is created.</source>
        <translation>Le lien de connexion de l’intervenant existe dès que la réunion est créée.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="548"/>
        <source>Audience link copied</source>
        <translation>Lien du public copié</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="565"/>
        <source>The join link could not be opened</source>
        <translation>Le lien pour rejoindre n’a pas pu être ouvert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="566"/>
        <source>Pupitre could not write the private page that opens it; open BigBlueButton yourself.</source>
        <translation>Pupitre n’a pas pu écrire la page privée qui l’ouvre&#xa0;; ouvrez BigBlueButton vous-même.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="585"/>
        <source>Question from %1</source>
        <translation>Question de %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="618"/>
        <source>Meetings on the server</source>
        <translation>Réunions sur le serveur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="647"/>
        <source>Recovery</source>
        <translation>Reprise après incident</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="695"/>
        <source>Audience chat</source>
        <translation>Discussion du public</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="702"/>
        <source>Live: %1</source>
        <translation>En direct&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="703"/>
        <source>The audience stream is live.</source>
        <translation>Le flux du public est en direct.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="706"/>
        <source>%1: the live failed</source>
        <translation>%1&#xa0;: le direct a échoué</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="709"/>
        <location filename="../../desktop/ui/controller.py" line="713"/>
        <source>%1: live stopped</source>
        <translation>%1&#xa0;: direct arrêté</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="710"/>
        <source>Stopped from another Pupitre process (the pupitre command).</source>
        <translation>Arrêté depuis un autre processus Pupitre (la commande pupitre).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="714"/>
        <source>The live was stopped automatically.</source>
        <translation>Le direct a été arrêté automatiquement.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controller.py" line="721"/>
        <source>%1: stream problem</source>
        <translation>%1&#xa0;: problème de flux</translation>
    </message>
</context>
<context>
    <name>WebinarEditor</name>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="70"/>
        <source>Mon</source>
        <translation>lun.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="70"/>
        <source>Tue</source>
        <translation>mar.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="71"/>
        <source>Wed</source>
        <translation>mer.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="71"/>
        <source>Thu</source>
        <translation>jeu.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="72"/>
        <source>Fri</source>
        <translation>ven.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="72"/>
        <source>Sat</source>
        <translation>sam.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="73"/>
        <source>Sun</source>
        <translation>dim.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="132"/>
        <source>New webinar</source>
        <translation>Nouveau webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="132"/>
        <source>Edit webinar</source>
        <translation>Modifier le webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="139"/>
        <source>Change</source>
        <translation>Appliquer à</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="140"/>
        <source>This occurrence only</source>
        <translation>Cette occurrence seulement</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="141"/>
        <source>The whole series</source>
        <translation>Toute la série</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="154"/>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="157"/>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="161"/>
        <source>Date and time</source>
        <translation>Date et heure</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="165"/>
        <source>Time zone</source>
        <translation>Fuseau horaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="168"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="169"/>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="173"/>
        <source>Repeat</source>
        <translation>Répétition</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="176"/>
        <source>Does not repeat</source>
        <translation>Ne se répète pas</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="176"/>
        <source>Daily</source>
        <translation>Tous les jours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="177"/>
        <source>Weekly</source>
        <translation>Toutes les semaines</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="177"/>
        <location filename="../../desktop/ui/webinar_editor.py" line="198"/>
        <source>Monthly</source>
        <translation>Tous les mois</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="178"/>
        <source>Yearly</source>
        <translation>Tous les ans</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="181"/>
        <source>Repeats</source>
        <translation>Fréquence</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="184"/>
        <source>Every</source>
        <translation>Intervalle</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="194"/>
        <source>On</source>
        <translation>Jours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="196"/>
        <source>On the same date</source>
        <translation>À la même date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="197"/>
        <source>On the same weekday (e.g. 3rd Tuesday)</source>
        <translation>Le même jour de la semaine (par exemple le troisième mardi)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="200"/>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="201"/>
        <source>On a date</source>
        <translation>À une date donnée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="202"/>
        <source>After a number of times</source>
        <translation>Après un nombre d’occurrences</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="204"/>
        <source>Ends</source>
        <translation>Fin</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="207"/>
        <source>Last day</source>
        <translation>Dernier jour</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="210"/>
        <source>Times</source>
        <translation>Nombre d’occurrences</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="214"/>
        <source>Options</source>
        <translation>Options</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="216"/>
        <source>The audience can chat</source>
        <translation>Le public peut écrire dans la discussion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="218"/>
        <source>Show the chat in the stream</source>
        <translation>Afficher la discussion dans le flux</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="220"/>
        <source>Record</source>
        <translation>Enregistrer la réunion</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="223"/>
        <source>Welcome message</source>
        <translation>Message d’accueil</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="225"/>
        <source>Message for moderators</source>
        <translation>Message pour les modérateurs</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="228"/>
        <source>Server default</source>
        <translation>Réglage du serveur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="229"/>
        <source>Participant limit</source>
        <translation>Nombre maximal de participants</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="231"/>
        <source>Any free gateway</source>
        <translation>N’importe quelle passerelle libre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="234"/>
        <source>Gateway</source>
        <translation>Passerelle</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="236"/>
        <source>Default server</source>
        <translation>Serveur par défaut</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="239"/>
        <source>BBB server</source>
        <translation>Serveur BBB</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="259"/>
        <source>Add to my calendar…</source>
        <translation>Ajouter à mon agenda…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="261"/>
        <source>Save this webinar as an iCalendar file (.ics) for your calendar or your co-presenters</source>
        <translation>Enregistrer ce webinaire dans un fichier iCalendar (.ics) pour votre agenda ou vos coprésentateurs</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="264"/>
        <source>Import invitation…</source>
        <translation>Importer une invitation…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="265"/>
        <source>Fill the form from an invitation (.ics) sent by Outlook, Thunderbird, Moodle…</source>
        <translation>Remplir le formulaire à partir d’une invitation (.ics) envoyée par Outlook, Thunderbird, Moodle…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="432"/>
        <source>The start needs a date, a time and a time zone.</source>
        <translation>Le début doit avoir une date, une heure et un fuseau horaire.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="460"/>
        <source>webinar</source>
        <translation>webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="462"/>
        <source>Add to my calendar</source>
        <translation>Ajouter à mon agenda</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="463"/>
        <source>iCalendar files (*.ics)</source>
        <translation>Fichiers iCalendar (*.ics)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="486"/>
        <source>The calendar file could not be written: {reason}</source>
        <translation>Le fichier d’agenda n’a pas pu être écrit&#xa0;: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="492"/>
        <source>Import invitation</source>
        <translation>Importer une invitation</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="493"/>
        <source>iCalendar files (*.ics);;All files (*)</source>
        <translation>Fichiers iCalendar (*.ics);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="507"/>
        <source>The invitation could not be read: {reason}</source>
        <translation>L’invitation n’a pas pu être lue&#xa0;: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="520"/>
        <source>The file holds {count} events; the form shows the first one (“pupitre schedule import” adds them all).</source>
        <translation>Le fichier contient {count} événements&#xa0;; le formulaire montre le premier («&#xa0;pupitre schedule import&#xa0;» les ajoute tous).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_editor.py" line="523"/>
        <source>{count} cancelled or changed occurrences of the invitation are kept.</source>
        <translation>{count} séances annulées ou modifiées de l’invitation sont conservées.</translation>
    </message>
</context>
<context>
    <name>WebinarList</name>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="68"/>
        <source>Webinars</source>
        <translation>Webinaires</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="69"/>
        <source>Upcoming webinars by day, then the meetings running on the server; pick one to show it in the console</source>
        <translation>Les prochains webinaires par jour, puis les réunions en cours sur le serveur&#xa0;; choisissez-en un pour l’afficher dans la console</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="71"/>
        <source>Nothing is scheduled yet. Schedule a webinar to prepare your next live, or pick a meeting already running on the server below.</source>
        <translation>Rien n’est encore programmé. Programmez un webinaire pour préparer votre prochain direct, ou choisissez ci-dessous une réunion déjà en cours sur le serveur.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="75"/>
        <source>Schedule a webinar…</source>
        <translation>Programmer un webinaire…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="80"/>
        <source>New webinar</source>
        <translation>Nouveau webinaire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="82"/>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="85"/>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="87"/>
        <source>Remove the selected webinar from the schedule</source>
        <translation>Retirer le webinaire sélectionné du programme</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="90"/>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="91"/>
        <source>Ask the BBB server which meetings are running</source>
        <translation>Demander au serveur BBB quelles réunions sont en cours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="201"/>
        <source>Running on the server</source>
        <translation>En cours sur le serveur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="211"/>
        <source>(none, or not asked yet)</source>
        <translation>(aucune, ou pas encore demandé)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="226"/>
        <source>(cancelled)</source>
        <translation>(annulé)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/webinar_list.py" line="229"/>
        <source>%n participant(s)</source>
        <translation>
            <numerusform>%n participant</numerusform>
            <numerusform>%n participants</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="238"/>
        <source>Today — %1</source>
        <translation>Aujourd’hui — %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/webinar_list.py" line="240"/>
        <source>Tomorrow — %1</source>
        <translation>Demain — %1</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="27"/>
        <source>Welcome to Pupitre</source>
        <translation>Bienvenue dans Pupitre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="32"/>
        <source>Pupitre takes your BigBlueButton webinar live to a large audience: it creates the meeting, starts the streaming gateway once you have joined, watches the audience stream and brings you the audience&apos;s questions.</source>
        <translation>Pupitre diffuse en direct votre webinaire BigBlueButton auprès d’un large public&#xa0;: il crée la réunion, démarre la passerelle de diffusion dès que vous l’avez rejointe, surveille le flux du public et vous transmet les questions de l’auditoire.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="38"/>
        <source>Try it with the lab</source>
        <translation>Essayer avec le labo</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="42"/>
        <source>Starts a demo on this computer; nothing is saved.</source>
        <translation>Lance une démonstration sur cet ordinateur&#xa0;; rien n’est enregistré.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="44"/>
        <source>Starts a small BigBlueButton server, streaming gateways and an audience stream on this computer, with a demo webinar. Nothing is saved: it all goes away when you quit.</source>
        <translation>Démarre sur cet ordinateur un petit serveur BigBlueButton, des passerelles de diffusion et un flux pour le public, avec un webinaire de démonstration. Rien n’est enregistré&#xa0;: tout disparaît quand vous quittez.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="48"/>
        <source>Connect to my servers</source>
        <translation>Se connecter à mes serveurs</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="52"/>
        <source>Opens the form for your BigBlueButton server and gateways.</source>
        <translation>Ouvre le formulaire de votre serveur BigBlueButton et de vos passerelles.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="54"/>
        <source>Enter your BigBlueButton server and its shared secret, and your streaming gateways. A check tells you in plain words whether everything answers.</source>
        <translation>Indiquez votre serveur BigBlueButton et son secret partagé, ainsi que vos passerelles de diffusion. Une vérification vous dit en termes simples si tout répond.</translation>
    </message>
</context>
</TS>
