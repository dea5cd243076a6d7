"""Sphinx configuration of the weakloc documentation."""

import weakloc

project = "weakloc"
author = "weakloc developers"
release = weakloc.__version__
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
]
autosummary_generate = True
templates_path = ["_templates"]
autodoc_default_options = {"members": True}
autosummary_ignore_module_all = False
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
exclude_patterns = ["_build", "_generated/demo/*.json"]
html_theme = "alabaster"
nitpicky = False
