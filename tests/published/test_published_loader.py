"""The registry loader: libyaml's C parser with the same constructors as the pure-Python one
(PyYAML's own SafeLoader is the independent reference), and each file parsed once."""

from pathlib import Path

import pytest
import yaml

from spinemets import published
from spinemets.paths import PUBLISHED_DIR


class _PureTextLoader(yaml.SafeLoader):
    pass


for _tag, _fn in (
    ("tag:yaml.org,2002:map", published._mapping_without_duplicates),
    ("tag:yaml.org,2002:float", published._keep_text),
    ("tag:yaml.org,2002:int", published._keep_text),
):
    _PureTextLoader.add_constructor(_tag, _fn)


def _same(a, b):
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for (ka, va), kb in zip(a.items(), b):
            assert type(ka) is type(kb)
            _same(va, b[kb])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    else:
        assert a == b


@pytest.mark.parametrize("path", sorted(Path(PUBLISHED_DIR).glob("*.yaml")), ids=lambda p: p.name)
def test_c_loader_gives_the_pure_python_objects(path):
    text = path.read_text(encoding="utf-8")
    _same(yaml.load(text, Loader=published._TextLoader), yaml.load(text, Loader=_PureTextLoader))


def test_loader_uses_libyaml_when_available():
    if getattr(yaml, "__with_libyaml__", False):
        assert issubclass(published._TextLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("loader", [published._TextLoader, _PureTextLoader])
def test_duplicate_keys_are_refused_with_the_line(loader):
    # the inner mapping starts on line 3 with either parser
    with pytest.raises(ValueError, match=r"\['a'\] more than once \(line 3\)"):
        yaml.load("x: 1\ny:\n  a: 1\n  a: 2\n", Loader=loader)


def test_each_registry_is_parsed_once(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text("paper: x\nnumbers: {}\n", encoding="utf-8")
    first = published._read_yaml(p)
    assert published._read_yaml(p) is first  # cached: not parsed again
    p.write_text("paper: y\nnumbers: {}\n", encoding="utf-8")
    assert published._read_yaml(p)["paper"] == "y"  # a changed file is parsed again
