"""The student edition: the book without the solutions to its exercises.

sphinx-exercise 1.2.1 cannot hide *gated* solutions (``solution-start`` ... ``solution-end``):
with ``hide_solutions: true`` its ``solution-start`` directive returns nothing, the matching
``solution-end`` node is left behind, and the HTML writer crashes ("unknown node type:
solution_end_node"); the code cells between the two markers would have stayed visible anyway.

This extension fixes both. When hiding is on, ``solution-start`` leaves a marker node, and a
transform that runs before sphinx-exercise's own merge removes everything from each marker up to
and including its ``solution-end``: the prose, the code cells and their outputs.

Hiding is on when ``hide_solutions`` is true in ``_config.yml`` or when the environment variable
``SPINEMETS_STUDENT`` is ``1`` (so one config file serves both editions)::

    SPINEMETS_STUDENT=1 jupyter-book build . -W -n --keep-going --path-output _build/student
"""

from __future__ import annotations

import os

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx_exercise.directive import SolutionStartDirective
from sphinx_exercise.nodes import solution_end_node


class hidden_solution_start(nodes.Element):
    """Where a hidden gated solution begins (removed with its content before writing)."""


def _hiding(config) -> bool:
    return bool(config.hide_solutions) or os.environ.get("SPINEMETS_STUDENT") == "1"


class HideableSolutionStart(SolutionStartDirective):
    def run(self):
        if not _hiding(self.env.app.config):
            return super().run()
        registry = getattr(self.env, "sphinx_exercise_gated_registry", None)
        if registry is None:
            registry = self.env.sphinx_exercise_gated_registry = {}
        entry = registry.setdefault(
            self.env.docname,
            {"start": [], "end": [], "sequence": [], "msg": [], "type": "solution"},
        )
        entry["start"].append(self.lineno)
        entry["sequence"].append("S")
        entry["msg"].append(f"solution-start at line: {self.lineno}")
        return [hidden_solution_start()]


class RemoveHiddenSolutions(SphinxTransform):
    default_priority = 9  # before sphinx-exercise's MergeGatedSolutions (10)

    def apply(self):
        for marker in list(self.document.findall(hidden_solution_start)):
            parent = marker.parent
            start = parent.index(marker)
            end = None
            for i in range(start + 1, len(parent.children)):
                if isinstance(parent.children[i], solution_end_node):
                    end = i
                    break
            if end is None:
                raise ValueError(f"{self.env.docname}: solution-start without solution-end")
            for child in list(parent.children[start : end + 1]):
                parent.remove(child)


def _config_inited(app, config):
    if os.environ.get("SPINEMETS_STUDENT") == "1":
        config.hide_solutions = True


def setup(app):
    app.setup_extension("sphinx_exercise")
    app.add_node(hidden_solution_start)
    app.add_directive("solution-start", HideableSolutionStart, override=True)
    app.add_transform(RemoveHiddenSolutions)
    app.connect("config-inited", _config_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
