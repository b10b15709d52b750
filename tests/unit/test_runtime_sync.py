# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keep plugins/modules/, the action groups of meta/runtime.yml and each module's docs in step.

`module_defaults: {group/mailops.mailadmin.<family>: ...}` only reaches a module that the
group lists, and the docs only tell users so when the module extends the family's
fragments. A module added to one place but not the others is a silent bug, so this test
fails on any drift. Modules are read with ``ast`` and never imported: importing would need
their dependencies and run module-level code.
"""

from __future__ import annotations

import ast
import os

import pytest
import yaml

COLLECTION = "mailops.mailadmin"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The fragments a module of each action group must extend.
GROUP_FRAGMENTS = {
    "y360": {COLLECTION + ".y360", COLLECTION + ".attributes.actiongroup_y360"},
    "clouduss": {COLLECTION + ".clouduss", COLLECTION + ".attributes.actiongroup_clouduss"},
    "pdd": {COLLECTION + ".pdd", COLLECTION + ".attributes.actiongroup_pdd"},
}


def module_names(root):
    """Return the names of the module files in plugins/modules/ under root."""
    modules_dir = os.path.join(root, "plugins", "modules")
    if not os.path.isdir(modules_dir):
        return []
    return sorted(
        name[:-3]
        for name in os.listdir(modules_dir)
        if name.endswith(".py") and name != "__init__.py"
    )


def action_groups(root):
    """Return {group: [module names]} from meta/runtime.yml under root."""
    with open(os.path.join(root, "meta", "runtime.yml"), encoding="utf-8") as runtime_file:
        runtime = yaml.safe_load(runtime_file) or {}
    groups = {}
    for group, entries in (runtime.get("action_groups") or {}).items():
        names = []
        for entry in entries or []:
            # A group may carry a `metadata: {extend_group: ...}` dict; only strings are modules.
            if isinstance(entry, str):
                # Entries may be short names or FQCNs of this collection's modules.
                names.append(entry[len(COLLECTION) + 1:] if entry.startswith(COLLECTION + ".") else entry)
        groups[group] = names
    return groups


def documentation(root, module):
    """Return the parsed DOCUMENTATION of a module, read from its source with ast."""
    path = os.path.join(root, "plugins", "modules", module + ".py")
    with open(path, encoding="utf-8") as module_file:
        tree = ast.parse(module_file.read(), filename=path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "DOCUMENTATION" for target in node.targets
        ):
            return yaml.safe_load(ast.literal_eval(node.value)) or {}
    raise AssertionError("%s has no DOCUMENTATION string" % path)


def extended_fragments(doc):
    """Return the set of doc fragments a parsed DOCUMENTATION extends."""
    fragments = doc.get("extends_documentation_fragment") or []
    if isinstance(fragments, str):
        fragments = [fragments]
    return set(fragments)


def drift(root):
    """Return a sorted list of every disagreement between modules, groups and docs under root."""
    problems = []
    modules = module_names(root)
    groups = action_groups(root)

    for group in sorted(set(GROUP_FRAGMENTS) - set(groups)):
        problems.append("meta/runtime.yml has no action group %r" % group)
    for group in sorted(set(groups) - set(GROUP_FRAGMENTS)):
        problems.append("meta/runtime.yml has action group %r that this test does not know" % group)

    membership = {}
    for group, names in groups.items():
        for name in names:
            membership.setdefault(name, []).append(group)
            if name not in modules:
                problems.append("action group %s lists %s, but plugins/modules/%s.py does not exist" % (group, name, name))
    for name, member_of in membership.items():
        if len(member_of) > 1:
            problems.append("%s is in more than one action group: %s" % (name, ", ".join(sorted(member_of))))

    for module in modules:
        member_of = membership.get(module, [])
        if not member_of:
            problems.append("plugins/modules/%s.py is in no action group of meta/runtime.yml" % module)
        fragments = extended_fragments(documentation(root, module))
        for group in member_of:
            missing = GROUP_FRAGMENTS.get(group, set()) - fragments
            if missing:
                problems.append("%s is in group %s but does not extend %s" % (module, group, ", ".join(sorted(missing))))
        # A fragment of another family's group would document an action group the module is not in.
        for group, group_fragments in GROUP_FRAGMENTS.items():
            if group not in member_of and fragments & group_fragments:
                problems.append(
                    "%s extends %s but is not in action group %s"
                    % (module, ", ".join(sorted(fragments & group_fragments)), group)
                )
    return sorted(problems)


def test_modules_runtime_and_docs_agree():
    problems = drift(ROOT)
    assert not problems, "modules, meta/runtime.yml and docs disagree:\n" + "\n".join(problems)


# The checks themselves, on small scratch collections, so the test cannot pass by checking nothing.

MODULE_TEMPLATE = '''
DOCUMENTATION = r"""
module: %(name)s
short_description: Scratch
extends_documentation_fragment:
%(fragments)s
"""
'''


def write_collection(root, runtime, modules):
    """Write meta/runtime.yml and modules {name: [fragments]} under root (a pytest tmp_path)."""
    (root / "meta").mkdir()
    (root / "meta" / "runtime.yml").write_text(yaml.safe_dump(runtime))
    (root / "plugins" / "modules").mkdir(parents=True)
    for name, fragments in modules.items():
        text = MODULE_TEMPLATE % {"name": name, "fragments": "".join("  - %s\n" % f for f in fragments)}
        (root / "plugins" / "modules" / (name + ".py")).write_text(text)
    return str(root)


GOOD_RUNTIME = {
    "requires_ansible": ">=2.17.0",
    "action_groups": {"y360": ["delegated_mailbox"], "clouduss": ["clouduss_mailbox"], "pdd": ["pdd_mailbox_info"]},
}
GOOD_MODULES = {
    "delegated_mailbox": sorted(GROUP_FRAGMENTS["y360"]),
    "clouduss_mailbox": sorted(GROUP_FRAGMENTS["clouduss"]),
    "pdd_mailbox_info": sorted(GROUP_FRAGMENTS["pdd"]),
}


def test_scratch_collection_in_step(tmp_path):
    assert drift(write_collection(tmp_path, GOOD_RUNTIME, GOOD_MODULES)) == []


@pytest.mark.parametrize(
    "runtime_groups, modules, expected",
    [
        pytest.param(
            dict(GOOD_RUNTIME["action_groups"], pdd=["pdd_mailbox_info", "pdd_gone"]),
            GOOD_MODULES,
            "action group pdd lists pdd_gone, but plugins/modules/pdd_gone.py does not exist",
            id="group-entry-without-module",
        ),
        pytest.param(
            GOOD_RUNTIME["action_groups"],
            dict(GOOD_MODULES, pdd_extra=sorted(GROUP_FRAGMENTS["pdd"])),
            "plugins/modules/pdd_extra.py is in no action group of meta/runtime.yml",
            id="module-without-group",
        ),
        pytest.param(
            dict(GOOD_RUNTIME["action_groups"], pdd=["pdd_mailbox_info", "delegated_mailbox"]),
            GOOD_MODULES,
            "delegated_mailbox is in more than one action group: pdd, y360",
            id="module-in-two-groups",
        ),
        pytest.param(
            GOOD_RUNTIME["action_groups"],
            dict(GOOD_MODULES, delegated_mailbox=[COLLECTION + ".y360"]),
            "delegated_mailbox is in group y360 but does not extend mailops.mailadmin.attributes.actiongroup_y360",
            id="missing-attributes-fragment",
        ),
        pytest.param(
            GOOD_RUNTIME["action_groups"],
            dict(GOOD_MODULES, clouduss_mailbox=sorted(GROUP_FRAGMENTS["clouduss"] | {COLLECTION + ".pdd"})),
            "clouduss_mailbox extends mailops.mailadmin.pdd but is not in action group pdd",
            id="fragment-of-other-family",
        ),
        pytest.param(
            {"y360": ["delegated_mailbox"], "clouduss": ["clouduss_mailbox"]},
            {"delegated_mailbox": GOOD_MODULES["delegated_mailbox"], "clouduss_mailbox": GOOD_MODULES["clouduss_mailbox"]},
            "meta/runtime.yml has no action group 'pdd'",
            id="group-missing",
        ),
    ],
)
def test_scratch_collection_drift_is_reported(tmp_path, runtime_groups, modules, expected):
    runtime = dict(GOOD_RUNTIME, action_groups=runtime_groups)
    assert expected in drift(write_collection(tmp_path, runtime, modules))


def test_fqcn_group_entries_are_accepted(tmp_path):
    runtime = dict(GOOD_RUNTIME, action_groups={
        group: [COLLECTION + "." + name for name in names] for group, names in GOOD_RUNTIME["action_groups"].items()
    })
    assert drift(write_collection(tmp_path, runtime, GOOD_MODULES)) == []


def test_module_without_documentation_fails(tmp_path):
    root = write_collection(tmp_path, GOOD_RUNTIME, GOOD_MODULES)
    with open(os.path.join(root, "plugins", "modules", "pdd_mailbox_info.py"), "w", encoding="utf-8") as module_file:
        module_file.write("import sys\n")
    with pytest.raises(AssertionError, match="has no DOCUMENTATION"):
        drift(root)
