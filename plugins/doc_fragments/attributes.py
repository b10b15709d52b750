# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Modules that change state: full check mode (only reads are sent) and diff support.
    DOCUMENTATION = r'''
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - In check mode only read requests are sent; the collection's HTTP client refuses any write.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details:
      - The diff shows the managed state only, with sorted lists.
'''

    # Modules that only read.
    INFO_MODULE = r'''
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - This action does not modify state.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details:
      - This action does not modify state.
'''

    ACTIONGROUP_Y360 = r'''
options: {}
attributes:
  action_group:
    description: Use C(group/mailops.mailadmin.y360) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - mailops.mailadmin.y360
'''

    ACTIONGROUP_CLOUDUSS = r'''
options: {}
attributes:
  action_group:
    description: Use C(group/mailops.mailadmin.clouduss) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - mailops.mailadmin.clouduss
'''

    ACTIONGROUP_PDD = r'''
options: {}
attributes:
  action_group:
    description: Use C(group/mailops.mailadmin.pdd) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - mailops.mailadmin.pdd
'''
