"""Pupitre: the presenter's desktop console for large BigBlueButton webinars."""

__version__ = "0.1.0"
APP_ID = "fr.pupitre.Pupitre"
APP_NAME = "Pupitre"
