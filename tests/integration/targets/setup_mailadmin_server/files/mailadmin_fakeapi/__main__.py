"""python -m mailadmin_fakeapi"""

import sys

from .cli import main

sys.exit(main())
