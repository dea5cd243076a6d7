"""Sphinx configuration of the weakloc documentation.

Three builders matter: ``html`` (runs the example gallery), ``doctest`` (runs the code of the
user guide) and, in CI, both with ``-W``. ``nitpicky`` is on: every cross-reference must
resolve. See ``docs/contributing.rst`` for adding a gallery script or a guide page.
"""

import os
import sys

import weakloc

project = "weakloc"
author = "weakloc developers"
release = weakloc.__version__
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
autosummary_generate = True
templates_path = ["_templates"]
autodoc_default_options = {"members": True}
autosummary_ignore_module_all = False
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
exclude_patterns = ["_build", "_generated/demo/*.json", "examples/GALLERY_HEADER.rst",
                    "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.json",
                    "auto_examples/*.md5", "sg_execution_times.rst"]
html_theme = "alabaster"

# MathJax from the package django-static-mathjax (docs extra): the site renders its
# equations without reaching a CDN, which CI and many readers' machines cannot.
try:
    import mathjax as _mathjax

    html_static_path = [os.path.join(os.path.dirname(_mathjax.__file__), "static", "mathjax",
                                     "es5")]
    mathjax_path = "tex-mml-chtml.js"
except ImportError:   # the CDN default
    pass

# -- the example gallery: every script in examples/ runs at build time ---------------------
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",          # every plot_*.py is executed
    "abort_on_example_error": True,         # a failing script fails the build
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "matplotlib_animations": False,
    "write_computation_times": False,
    "show_memory": False,
    "plot_gallery": "True",
}

# -- the user guide's code runs under the doctest builder ----------------------------------
# Each document's blocks run in a fresh temporary folder, so files they write go nowhere.
doctest_global_setup = """
import os as _os
import shutil as _shutil
import tempfile as _tempfile

import matplotlib
matplotlib.use("Agg")
_doc_cwd = _os.getcwd()
_doc_tmp = _tempfile.mkdtemp(prefix="weakloc-doctest-")
_os.chdir(_doc_tmp)
"""
doctest_global_cleanup = """
_os.chdir(_doc_cwd)
_shutil.rmtree(_doc_tmp, ignore_errors=True)
"""
doctest_test_doctest_blocks = ""

# -- cross-references ----------------------------------------------------------------------
# Every weakloc reference must resolve (nitpicky, built with -W). The inventories of the
# libraries weakloc builds on are fetched over the network, which CI does not have: they
# are used when WEAKLOC_DOCS_INTERSPHINX=1 (a docs host with internet), and otherwise the
# external names are accepted unlinked (nitpick_ignore_regex below), never silently wrong.
nitpicky = True
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
    "scipy": ("https://docs.scipy.org/doc/scipy", None),
    "xarray": ("https://docs.xarray.dev/en/stable", None),
    "lmfit": ("https://lmfit.github.io/lmfit-py", None),
    "dask": ("https://docs.dask.org/en/stable", None),
    "distributed": ("https://distributed.dask.org/en/stable", None),
    "matplotlib": ("https://matplotlib.org/stable", None),
}
if os.environ.get("WEAKLOC_DOCS_INTERSPHINX") != "1":
    intersphinx_mapping = {}
    intersphinx_disabled_reftypes = ["*"]
_EXTERNAL = r"(numpy|np|scipy|xarray|lmfit|dask|distributed|matplotlib|pathlib|os|typing|" \
            r"collections|concurrent|numbers|io|json|datetime|enum|tqdm|numba|psutil|argparse)"
nitpick_ignore_regex = [
    (r"py:.*", _EXTERNAL + r"(\..*)?"),
    # builtins and typing words that numpydoc turns into references
    (r"py:.*", r"(ndarray|array_like|array-like|callable|Callable|Generator|SeedSequence|"
               r"Dataset|DataArray|Figure|Axes|Path|PathLike|Iterable|Sequence|Mapping|"
               r"Any|optional|default|None|True|False|int|float|complex|str|bool|dict|list|"
               r"tuple|set|bytes|object|type|string|Exception|ValueError|OSError|"
               r"RuntimeError)"),
    # private modules (a leading underscore) are named in prose but not documented
    (r"py:mod", r"(weakloc\.\w+\.)?_\w+"),
    # private base classes (or classes of private modules) named by show-inheritance
    (r"py:class", r"weakloc(\.\w+)*\._\w+(\.\w+)*"),
]

# -- the reference: each public object documented once (docs/apimap.py) --------------------
sys.path.insert(0, os.path.dirname(__file__))
import apimap  # noqa: E402

_MEMBERS, _WHERE = apimap.homes()
autosummary_context = {"apimembers": _MEMBERS, "apiexports": apimap.exports(_MEMBERS)}


_BY_LAST = {}
for _home in set(_WHERE.values()):
    _BY_LAST.setdefault(_home.rsplit(".", 1)[-1], set()).add(_home)


def _home_of(name: str) -> str | None:
    """The documented path of ``name``, ``name.attr`` or a bare name that is unique."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        head, rest = ".".join(parts[:i]), parts[i:]
        home = _WHERE.get(head)
        if home is None and i == 1 and len(_BY_LAST.get(head, ())) == 1:
            home = next(iter(_BY_LAST[head]))
        if home is not None:
            return ".".join([home, *rest])
    return None


def _resolve_reexport(app, env, node, contnode):
    """``weakloc.theory.hln`` -> its home ``weakloc.theory.magnetoconductance.hln``.

    Also ``InputError`` (a unique bare name) and ``Lattice.length`` (an attribute of a
    re-exported class). References to what is not documented still warn.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "").lstrip("~.")
    module, cls = node.get("py:module"), node.get("py:class")
    candidates = [target]
    if module:
        candidates.insert(0, f"{module}.{target}")
        if cls:
            candidates.insert(0, f"{module}.{cls}.{target}")
    py = env.get_domain("py")
    for name in candidates:
        home = _home_of(name)
        if home and home != name:
            found = py.resolve_xref(env, node["refdoc"], app.builder, "obj", home, node,
                                    contnode)
            if found is not None:
                return found
    return None


def setup(app):
    app.connect("missing-reference", _resolve_reexport)
