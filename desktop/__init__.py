"""Pupitre: the presenter's desktop console for large BigBlueButton webinars."""

__version__ = "0.1.0"
APP_ID = "io.github.pupitre_app.Pupitre"  # one reverse-DNS id everywhere (desktop file, AppStream, icons, packages)
APP_NAME = "Pupitre"
