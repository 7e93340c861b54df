"""Vigie's features, one package each; a package exposing `PLUGIN` is loaded automatically."""
