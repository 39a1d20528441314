"""Helpers that need no models: dates and times now; PDFs, e-mail, run charts later."""
