"""Small fixes to what Jupyter Book 1.0.4 and its themes put in every page.

- **One THEBE_JS_URL.** sphinx-thebe adds its inline configuration script twice under Jupyter
  Book 1.0.4, and the second ``const THEBE_JS_URL = ...`` is a console error on every page
  ("Identifier 'THEBE_JS_URL' has already been declared"). Duplicate scripts are dropped.
- **A theme mode.** pydata-sphinx-theme 0.17 logs "Got invalid theme mode" when no
  ``default_mode`` is set; the book starts in ``auto`` (the reader's system setting), and the
  switcher in the header still changes it.
"""

from __future__ import annotations


def _config_inited(app, config):
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "auto")
    config.html_context = context


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for s in scripts:
        # the same inline script arrives once with filename None and once with ''
        key = (getattr(s, "filename", s) or "", tuple(sorted(getattr(s, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        kept.append(s)
    scripts[:] = kept


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
