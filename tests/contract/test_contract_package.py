"""The package root: every name in ``spinemets.__all__`` imports (issue 11)."""

import importlib
import pkgutil

import pytest

import spinemets


@pytest.mark.parametrize("name", spinemets.__all__)
def test_every_name_in_all_imports(name):
    mod = importlib.import_module(f"spinemets.{name}")
    assert getattr(spinemets, name) is mod


def test_star_import_works():
    ns = {}
    exec("from spinemets import *", ns)
    assert set(spinemets.__all__) <= set(ns)


def test_all_lists_only_existing_public_modules():
    on_disk = {
        m.name for m in pkgutil.iter_modules(spinemets.__path__) if not m.name.startswith("_")
    }
    assert set(spinemets.__all__) <= on_disk
    # every public module on disk is reachable from the root (a new module is added to __all__)
    assert on_disk <= set(spinemets.__all__)


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        spinemets.nonexistent  # noqa: B018


@pytest.mark.parametrize("name", spinemets.__all__)
def test_module_all_names_exist(name):
    mod = importlib.import_module(f"spinemets.{name}")
    for attr in getattr(mod, "__all__", []):
        assert hasattr(mod, attr), f"spinemets.{name}.__all__ lists {attr!r}, which does not exist"
