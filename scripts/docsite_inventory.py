# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write an offline intersphinx inventory for the Ansible documentation labels a docs site uses.

The pages antsibull-docs generates refer to labels of the Ansible documentation (for example
``common_return_values``); Sphinx resolves them through that site's ``objects.inv``, which the
build machines cannot download. This writes a small inventory holding just the labels the
generated RST refers to but does not define, with their addresses on docs.ansible.com, so the
links stay right and the build runs offline with warnings as errors.

Usage: docsite_inventory.py RST_DIR OUTPUT_FILE
A label it does not know fails the run, naming it: add it to KNOWN_LABELS below.
"""

import os
import re
import sys
import zlib

# label -> (page and anchor under https://docs.ansible.com/projects/ansible/devel/, title)
KNOWN_LABELS = {
    'common_return_values': ('reference_appendices/common_return_values.html#common-return-values',
                             'Return Values'),
    'ansible_configuration_settings': ('reference_appendices/config.html#ansible-configuration-settings',
                                       'Ansible Configuration Settings'),
    'module_defaults': ('playbook_guide/playbooks_module_defaults.html#module-defaults', 'Module defaults'),
    'check_mode_dry': ('playbook_guide/playbooks_checkmode.html#check-mode-dry',
                       'Validating tasks: check mode and diff mode'),
    'callback_plugins': ('plugins/callback.html#callback-plugins', 'Callback plugins'),
    'list_of_collections': ('collections/index.html#list-of-collections', 'Collection Index'),
}
# ansible.builtin plugins: ansible_collections.ansible.builtin.<name>_<type>
BUILTIN = re.compile(r'^ansible_collections\.ansible\.builtin\.(?P<name>\w+)_'
                     r'(?P<type>module|lookup|filter|test|callback|connection|become|inventory|vars|strategy|cache|shell)$')

REF = re.compile(r':ref:`(?:[^`<]*<)?([^`<>]+)>?`')
LABEL = re.compile(r'^\.\. _([^:]+):\s*$', re.MULTILINE)
# Environment variables: ansible-core's own are documented on its configuration page.
ENVVAR_REF = re.compile(r':(?:envvar|ansenvvarref):`(?:[^`<]*<)?([^`<>]+)>?`')
ENVVAR = re.compile(r'^\.\. envvar:: (\S+)\s*$', re.MULTILINE)
ANSIBLE_ENVVAR = re.compile(r'^ANSIBLE_[A-Z0-9_]+$')


def main(rst_dir, output):
    used, defined, envvars_used, envvars_defined = set(), set(), set(), set()
    for root, dummy, files in os.walk(rst_dir):
        for name in files:
            if name.endswith('.rst'):
                with open(os.path.join(root, name), encoding='utf-8') as handle:
                    text = handle.read()
                used.update(REF.findall(text))
                defined.update(LABEL.findall(text))
                # RST escapes underscores in role text (MAILADMIN\_JOURNAL); Sphinx reads it plain.
                envvars_used.update(name.replace('\\', '') for name in ENVVAR_REF.findall(text))
                envvars_defined.update(ENVVAR.findall(text))
    lines, unknown = [], []
    for label in sorted(used - defined):
        if label in KNOWN_LABELS:
            uri, title = KNOWN_LABELS[label]
        elif BUILTIN.match(label):
            match = BUILTIN.match(label)
            uri = 'collections/ansible/builtin/%s_%s.html#%s' % (
                match['name'], match['type'], label.replace('.', '-').replace('_', '-'))
            title = 'ansible.builtin.%s %s' % (match['name'], match['type'])
        else:
            unknown.append(label)
            continue
        lines.append('%s std:label -1 %s %s\n' % (label, uri, title))
    for name in sorted(envvars_used - envvars_defined):
        if ANSIBLE_ENVVAR.match(name):
            lines.append('%s std:envvar -1 reference_appendices/config.html#envvar-%s -\n' % (name, name))
        else:
            unknown.append(name)
    if unknown:
        sys.exit('docsite_inventory.py: labels neither defined in %s nor known: %s '
                 '(add them to KNOWN_LABELS in scripts/docsite_inventory.py)' % (rst_dir, ', '.join(unknown)))
    header = ('# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
              '# The remainder of this file is compressed using zlib.\n')
    with open(output, 'wb') as handle:
        handle.write(header.encode() + zlib.compress(''.join(lines).encode()))
    print('%s: %d Ansible documentation label(s) and variable(s): %s' % (
        output, len(lines), ', '.join(sorted((used - defined) | (envvars_used - envvars_defined))) or 'none'))


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
