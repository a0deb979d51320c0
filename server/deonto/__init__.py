"""Déonto: flags risky phrases in health practitioners' social-media drafts, locally."""

__version__ = "0.1.0"
