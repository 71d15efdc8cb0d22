"""Socioeconomic layers: census geographies (areas), indicators measured on them, the
digital vulnerability index; their imports, tiles and map panel. See docs/architecture.md."""
