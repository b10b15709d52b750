# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.filter.previous_access import previous_access
from ansible_collections.mailops.mailadmin.plugins.module_utils import _changes

READER = 'shared_mailbox_reader'


def test_records_of_an_offboarding_become_the_onboarding_shape():
    changes = [
        _changes.access_change('leaver@example.com', 'boss@example.com', None, [READER]),   # hand-over: not theirs
        _changes.access_change('support@example.com', 'Leaver@example.com', [READER, 'shared_mailbox_sender'], None),
        _changes.access_change('alice@example.com', 'leaver@example.com', [READER], None),
        _changes.sender_change('sales@example.com', 'user:leaver@example.com', False),
        _changes.sender_change('all@example.com', 'user:other@example.com', False),
        _changes.clouduss_change('leaver@example.com', dict(executive=True), None),
    ]
    assert previous_access(changes, 'leaver@example.com', mail_lists=['eng@example.com'],
                           reachable=[dict(mailbox_email='info@example.com', roles=[READER])]) == dict(
        mailbox_access=[dict(mailbox='alice@example.com', roles=[READER]),
                        dict(mailbox='info@example.com', roles=[READER]),
                        dict(mailbox='support@example.com', roles=[READER, 'shared_mailbox_sender'])],
        mail_lists=['eng@example.com', 'sales@example.com'],
        clouduss=True, clouduss_executive=True)


def test_nothing_taken():
    assert previous_access([], 'x@example.com') == dict(mailbox_access=[], mail_lists=[], clouduss=False,
                                                        clouduss_executive=False)


def test_not_a_list_is_refused():
    with pytest.raises(TypeError, match='list of change records'):
        previous_access({'changes': []}, 'x@example.com')
