"""Every domain has the same shape, so that a newcomer finds each job in the same file: the
records, the rules, the process table, the policies, the pages, the reminders and the demo data."""

from __future__ import annotations

import importlib
import pathlib
import re

import pytest

APP = pathlib.Path(__file__).resolve().parent.parent / "protocol_app"
DOMAINS = ("visits", "events", "honours", "language_service", "emigrants", "graves", "goldenbook", "news",
           "partnerships")
#: A partnership has no process of its own: its status (active, frozen) is the directory's.
WITHOUT_PROCESS = {"partnerships"}
#: A module bigger than this is split by use case (services) or into a package (views).
MAX_LINES = 400


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domain_has_every_part_in_its_place(domain):
    for part in ("models", "services", "workflow", "permissions", "views", "reminders", "demo"):
        if part == "workflow" and domain in WITHOUT_PROCESS:
            continue
        importlib.import_module(f"protocol_app.{domain}.{part}")
    policies = importlib.import_module(f"protocol_app.{domain}.permissions")
    assert any(name.startswith("can_") for name in vars(policies)), f"{domain}: no can_* policy"


@pytest.mark.parametrize("domain", DOMAINS)
def test_views_and_services_stay_small(domain):
    root = APP / domain
    files = [*root.glob("views*.py"), *root.glob("*_views.py"), *root.glob("views/*.py"),
             *root.glob("services*.py"), *root.glob("services/*.py")]
    too_long = {f.relative_to(APP).as_posix(): n for f in files if (n := len(f.read_text().splitlines())) > MAX_LINES}
    assert not too_long


def test_templates_ask_the_domains_policies_not_raw_permissions():
    raw = [t.relative_to(APP).as_posix() for t in APP.glob("*/templates/**/*.html")
           if t.parts[-4] in DOMAINS and "user_has(" in t.read_text()]
    assert not raw


def test_the_code_compares_states_with_their_enums():
    """`case.state == "in_approval"` hides a typo until the day it matters; the enums do not."""
    literal = re.compile(r'\.(state|status)\s*(==|!=)\s*"|\.(state|status)\.in_\(\("|_STATES = \("')
    found = [f"{f.relative_to(APP)}:{n}" for f in APP.glob("*/**/*.py") if "demo" not in f.name
             for n, line in enumerate(f.read_text().splitlines(), 1) if literal.search(line)]
    assert not found


def test_templates_compare_no_state_with_a_literal():
    """`{% if batch.state == 'draft' %}` repeats the process table in a page; the record says what
    it means (`batch.takes_proposals`) or the engine says what is possible (`page_steps`)."""
    literal = re.compile(r"""\b(state|status)\s*(==|!=)\s*['"]|\b(state|status)\s+(not\s+)?in\s*[(\[]\s*['"]""")
    found = [f"{t.relative_to(APP)}:{n}" for t in APP.glob("**/templates/**/*.html")
             for n, line in enumerate(t.read_text().splitlines(), 1) if literal.search(line)]
    assert not found


def test_no_module_of_the_app_passes_the_limit():
    """A module over MAX_LINES does more than one job: split it where its jobs part."""
    long = {f.relative_to(APP).as_posix(): n for f in APP.glob("**/*.py")
            if (n := len(f.read_text().splitlines())) > MAX_LINES}
    assert not long


def _imported_modules(path: pathlib.Path) -> set[str]:
    """Every module `path` imports (also inside functions), as "domain.module" for the app's own."""
    import ast

    package = path.relative_to(APP).parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[:len(package) - node.level + 1])
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found |= {target} | {f"{target}.{alias.name}" for alias in node.names}
    return found


def test_no_domain_imports_another_domains_tables_pages_forms_or_process():
    """A domain reaches another only through its services (`services`, `interpreting`, `planning`,
    a history source …): its models, views, forms and process table are its own."""
    crossing = set()
    for domain in DOMAINS:
        for path in (APP / domain).glob("**/*.py"):
            for module in _imported_modules(path):
                parts = module.split(".")
                if parts[0] in DOMAINS and parts[0] != domain and len(parts) > 1 and parts[1] in (
                        "models", "views", "forms", "workflow"):
                    crossing.add((path.relative_to(APP).as_posix(), ".".join(parts[:2])))
    assert not crossing


#: The modules by which one domain may reach another: what it offers others, not its records.
FACES = {"services", "interpreting", "planning", "history", "guests"}


def test_the_import_contract_keeps_the_domains_independent_and_crossings_to_named_faces():
    """The layers contract separates the domains with `|` (independent: neither imports the other),
    and every crossing it lets through ends in a named face of the other domain."""
    import configparser

    contract = configparser.ConfigParser()
    contract.read(APP.parent / ".importlinter")
    layers = contract["importlinter:contract:layers"]
    domain_layer = next(line for line in layers["layers"].splitlines() if "visits" in line)
    assert sorted(name.strip() for name in domain_layer.split("|")) == sorted(DOMAINS)
    crossings = [line.split("->") for line in layers["ignore_imports"].strip().splitlines()]
    for source, target in crossings:
        source_domain, target_parts = source.strip().split(".")[1], target.strip().split(".")
        assert source_domain in DOMAINS and target_parts[1] in DOMAINS and target_parts[1] != source_domain
        assert len(target_parts) == 3 and target_parts[2] in FACES, target


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domain_has_one_front_door_its_pages_load_through(domain):
    """The views are a package whose `__init__` owns the blueprint and the loaders (a FrontDoor);
    no page module looks a record up by itself, none joins the blueprint from outside."""
    from protocol_app.core.front_door import FrontDoor

    views = importlib.import_module(f"protocol_app.{domain}.views")
    assert hasattr(views, "__path__"), f"{domain}: views is not a package"
    assert isinstance(views.door, FrontDoor) and views.bp is views.door.blueprint
    root = APP / domain
    assert not [p.name for p in root.glob("*.py") if p.stem == "views" or p.stem.endswith("_views")]
    own_lookups = {p.name for p in (root / "views").glob("*.py") if p.name != "__init__.py"
                   and re.search(r"get_or_404\(|find_by_reference\(", p.read_text())}
    assert not own_lookups


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domains_read_and_edit_policies_take_the_record(domain):
    import inspect

    policies = importlib.import_module(f"protocol_app.{domain}.permissions")
    for name in ("can_read", "can_edit"):
        parameters = list(inspect.signature(getattr(policies, name)).parameters)
        assert len(parameters) == 2, f"{domain}.permissions.{name}{parameters}"


def test_no_foreign_key_reaches_into_another_domains_table(app):
    """A domain keeps another's ids (reached through its services), never a key into its tables;
    nor does a layer below the domains (the programme items) know a domain's table."""
    from protocol_app.extensions import db

    owner = {table.name: mapper.class_.__module__.split(".")[1]
             for mapper in db.Model.registry.mappers for table in mapper.tables}
    crossing = {(table.name, fk.column.table.name) for table in db.metadata.tables.values() if table.name in owner
                for fk in table.foreign_keys
                if owner.get(fk.column.table.name) in DOMAINS and owner[fk.column.table.name] != owner[table.name]}
    assert not crossing


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domains_policies_give_lists_their_filter(domain):
    """Lists ask the same policy as a record's page, as a WHERE clause (`readable_filter(user)`)."""
    policies = importlib.import_module(f"protocol_app.{domain}.permissions")
    assert callable(getattr(policies, "readable_filter", None)), f"{domain}: no readable_filter"
