"""Curated data files shipped with amity: lexicons and patterns (loaded by amity.resources)."""
