"""One direction of dependency: site -> domain apps -> shared apps -> Django and libraries.

Reads the imports of every module (module level and inside functions; relative imports resolved; migrations
left out) of the site package and of each domain app, and fails on:

- a shared module (anything in the site package but the site layer) importing a domain app or the site layer;
- a domain app importing another domain app or the site layer;
- a cycle between apps (each app in the site package is a node, each top-level module there a node of its
  own, each domain app one node), or between modules of one app.

The site layer is what composes the apps: the site package's settings, urls, wsgi and asgi, and its
__init__ and celery modules while they only wire the Celery application to the settings. The domain apps are
the local apps of INSTALLED_APPS outside the site package, so a new app is covered without editing this file.
There is no allowlist.
"""

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE_PACKAGE = "ldnsite"
SITE_MODULES = ("settings", "urls", "wsgi", "asgi")
# Site wiring while they import nothing of the project but each other: the package's __init__ loads celery.
WIRING_MODULES = ("", "celery")


@dataclass(frozen=True)
class Import:
    importer: str
    target: str
    path: Path
    line: int
    statement: str

    def where(self, root: Path) -> str:
        return f"{self.path.relative_to(root)}:{self.line}: {self.statement}"


def domain_apps(app_names: list[str], root: Path, site_package: str = SITE_PACKAGE) -> list[str]:
    """The installed apps whose package is in the project (under root) and outside the site package."""
    found = []
    for name in app_names:
        top = name.split(".")[0]
        if top != site_package and (root / top / "__init__.py").is_file() and top not in found:
            found.append(top)
    return sorted(found)


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path, packages: list[str]) -> dict[str, Path]:
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                modules[_module_name(root, path)] = path
    return modules


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module that `name` (a module or a name inside one) belongs to, if any."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def read_imports(root: Path, modules: dict[str, Path]) -> list[Import]:
    found = []
    for module, path in modules.items():
        source = path.read_text()
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [_resolve(alias.name, modules) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    origin = ".".join([*base, node.module] if node.module else base)
                else:
                    origin = node.module
                # `from x import y` depends on the module x.y when there is one, else on x itself.
                targets = [_resolve(f"{origin}.{alias.name}", modules) for alias in node.names]
            else:
                continue
            statement = " ".join(ast.get_source_segment(source, node).split())
            for target in dict.fromkeys(targets):
                if target and target != module:
                    found.append(Import(module, target, path, node.lineno, statement))
    return sorted(found, key=lambda i: (str(i.path), i.line, i.target))


class Layout:
    """Which layer and which app each module belongs to."""

    def __init__(
        self, root: Path, domain: list[str], imports: list[Import], site_package: str = SITE_PACKAGE
    ):
        self.root, self.domain, self.site_package = root, domain, site_package
        self.site = {f"{site_package}.{name}" for name in SITE_MODULES}
        wiring = {f"{site_package}.{name}".rstrip(".") for name in WIRING_MODULES}
        only_wiring = all(
            self._in_site(i.target) or i.target in wiring for i in imports if i.importer in wiring
        )
        self.wiring = wiring if only_wiring else set()

    def _in_site(self, module: str) -> bool:
        return any(module == name or module.startswith(f"{name}.") for name in self.site)

    def layer(self, module: str) -> str:
        """'site', 'shared', or the name of the domain app."""
        top = module.split(".")[0]
        if self._in_site(module) or module in self.wiring:
            return "site"
        if top == self.site_package:
            return "shared"
        return top

    def app(self, module: str) -> str:
        """The node of the app graph: a domain app, an app (or package) in the site package, or a module
        directly in the site package."""
        parts = module.split(".")
        if parts[0] != self.site_package:
            return parts[0]
        if len(parts) > 1 and (self.root / self.site_package / parts[1]).is_dir():
            return ".".join(parts[:2])
        return module

    def forbidden(self, i: Import) -> str | None:
        importer, target = self.layer(i.importer), self.layer(i.target)
        if importer == "shared" and target != "shared":
            what = "the site layer" if target == "site" else f"domain app {target}"
            return f"shared module {i.importer} imports {what}"
        if importer in self.domain and target not in ("shared", importer):
            what = "the site layer" if target == "site" else f"domain app {target}"
            return f"domain app {importer} imports {what} ({i.importer})"
        return None


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted, in sorted order."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(edges.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(components)


def _lines(imports: list[Import], root: Path) -> str:
    seen = dict.fromkeys(f"    {i.where(root)}" for i in imports)
    return "\n".join(seen)


def app_cycles(lines: dict[tuple[str, str], list[Import]], root: Path) -> list[str]:
    """Two apps that import each other, each pair on its own; then any longer cycle the pairs leave."""
    pairs = sorted((a, b) for a, b in lines if a < b and (b, a) in lines)
    found = [
        f"cycle between apps {a} and {b} (each imports the other):\n{_lines(lines[a, b] + lines[b, a], root)}"
        for a, b in pairs
    ]
    rest = defaultdict(set)
    for a, b in lines:
        if (b, a) not in lines:
            rest[a].add(b)
    for component in _cycles(rest):
        inside = [
            i
            for (a, b), imports in sorted(lines.items())
            if b in rest[a] and {a, b} <= set(component)
            for i in imports
        ]
        found.append(f"cycle between apps {', '.join(component)}:\n{_lines(inside, root)}")
    return found


def module_cycles(lines: dict[tuple[str, str], list[Import]], root: Path) -> list[str]:
    edges = defaultdict(set)
    for a, b in lines:
        edges[a].add(b)
    found = []
    for component in _cycles(edges):
        inside = [i for (a, b), imports in sorted(lines.items()) if {a, b} <= set(component) for i in imports]
        found.append(f"cycle between modules {', '.join(component)}:\n{_lines(inside, root)}")
    return found


def problems(root: Path, domain: list[str], site_package: str = SITE_PACKAGE) -> list[str]:
    """Every forbidden import and every cycle in the tree at root, each naming the import lines."""
    modules = project_modules(root, [site_package, *domain])
    imports = read_imports(root, modules)
    layout = Layout(root, domain, imports, site_package)
    found = [f"{i.where(root)}\n    {why}" for i in imports if (why := layout.forbidden(i))]

    app_lines, module_lines = defaultdict(list), defaultdict(list)
    for i in imports:
        importer_app, target_app = layout.app(i.importer), layout.app(i.target)
        if importer_app != target_app:
            app_lines[importer_app, target_app].append(i)
        else:
            module_lines[i.importer, i.target].append(i)
    return found + app_cycles(app_lines, root) + module_cycles(module_lines, root)


def _installed_domain_apps() -> list[str]:
    from django.apps import apps

    return domain_apps([config.name for config in apps.get_app_configs()], ROOT)


def test_domain_apps_come_from_installed_apps():
    domain = _installed_domain_apps()

    assert {"articles", "testimonials"} <= set(domain)
    assert not any(name.startswith(("ldnsite", "django", "allauth")) for name in domain)


def test_imports_point_one_way_and_form_no_cycle():
    found = problems(ROOT, _installed_domain_apps())

    assert not found, f"{len(found)} import problems:\n" + "\n".join(found)


# --- The test of the test: a small tree of its own ---------------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


# A site package "site_" with a shared app (talk), a top-level shared module (cache.py) and the site layer;
# two domain apps (shop, blog). Each test adds the lines it is about.
CLEAN = {
    "site_/__init__.py": "from .celery import app\n",
    "site_/celery.py": "import os\n",
    "site_/settings.py": "INSTALLED_APPS = ['django.contrib.admin', 'site_.talk', 'shop', 'blog']\n",
    "site_/urls.py": "from blog import views\nfrom shop.views import index\nfrom site_.talk import urls\n",
    "site_/cache.py": "import json\n",
    "site_/talk/__init__.py": "",
    "site_/talk/registry.py": "SUBJECTS = {}\n",
    "site_/talk/models.py": "from . import registry\nfrom site_ import cache\n",
    "site_/talk/migrations/__init__.py": "",
    "site_/talk/migrations/0001_initial.py": "from shop.models import Product\n",
    "shop/__init__.py": "",
    "shop/models.py": "from site_.talk.registry import SUBJECTS\n",
    "shop/views.py": "from .models import *\n\ndef index():\n    from site_.cache import json\n",
    "blog/__init__.py": "",
    "blog/views.py": "import site_.talk.models\n",
}


def _problems(root: Path, **changes: str) -> list[str]:
    _tree(root, {**CLEAN, **changes})
    return problems(root, domain_apps(["django.contrib.admin", "site_.talk", "shop", "blog"], root), "site_")


def test_domain_apps_are_the_local_apps_outside_the_site_package(tmp_path):
    _tree(tmp_path, CLEAN)

    assert domain_apps(["django.contrib.admin", "site_.talk", "shop", "blog"], tmp_path, "site_") == [
        "blog",
        "shop",
    ]


def test_a_clean_tree_has_no_problem(tmp_path):
    assert _problems(tmp_path) == []


def test_reports_a_forbidden_import_and_a_cycle_naming_their_lines(tmp_path):
    found = _problems(
        tmp_path,
        **{
            # shared -> domain, inside a function
            "site_/talk/views.py": "import os\n\n\ndef page():\n    from shop.models import Product\n",
            # a cycle between two modules of one domain app, one side relative
            "blog/models.py": "from blog.feeds import latest\n",
            "blog/feeds.py": "from .models import Post\n",
        },
    )

    assert found == [
        "site_/talk/views.py:5: from shop.models import Product\n    shared module site_.talk.views imports "
        "domain app shop",
        "cycle between apps shop and site_.talk (each imports the other):\n"
        "    shop/models.py:1: from site_.talk.registry import SUBJECTS\n"
        "    site_/talk/views.py:5: from shop.models import Product",
        "cycle between modules blog.feeds, blog.models:\n"
        "    blog/feeds.py:1: from .models import Post\n"
        "    blog/models.py:1: from blog.feeds import latest",
    ]


def test_reports_domain_apps_importing_each_other_or_the_site(tmp_path):
    found = _problems(tmp_path, **{"blog/views.py": "from shop import models\nfrom site_.urls import x\n"})

    assert found == [
        "blog/views.py:1: from shop import models\n    domain app blog imports domain app shop (blog.views)",
        "blog/views.py:2: from site_.urls import x\n    domain app blog imports the site layer (blog.views)",
        "cycle between apps blog and site_.urls (each imports the other):\n"
        "    blog/views.py:2: from site_.urls import x\n"
        "    site_/urls.py:1: from blog import views",
    ]


def test_reports_a_shared_module_importing_the_site_layer(tmp_path):
    found = _problems(
        tmp_path, **{"site_/cache.py": "from django.conf import settings\nfrom . import urls\n"}
    )

    assert (
        found[0]
        == "site_/cache.py:2: from . import urls\n    shared module site_.cache imports the site layer"
    )
    assert found[1].startswith("cycle between apps blog, shop, site_.cache, site_.talk, site_.urls:\n")
    assert "    site_/cache.py:2: from . import urls\n" in found[1]
    assert len(found) == 2


def test_reports_a_cycle_of_three_shared_apps(tmp_path):
    found = _problems(
        tmp_path,
        **{"site_/cache.py": "from site_.mail import send\n", "site_/mail.py": "import site_.talk\n"},
    )

    assert found == [
        "cycle between apps site_.cache, site_.mail, site_.talk:\n"
        "    site_/cache.py:1: from site_.mail import send\n"
        "    site_/mail.py:1: import site_.talk\n"
        "    site_/talk/models.py:2: from site_ import cache"
    ]


def test_celery_that_does_more_than_wire_settings_is_shared(tmp_path):
    found = _problems(tmp_path, **{"site_/celery.py": "from blog.views import x\n"})

    assert found == [
        "site_/celery.py:1: from blog.views import x\n    shared module site_.celery imports domain app blog"
    ]
