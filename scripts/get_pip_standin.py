# Offline stand-in for the get-pip script that `ansible-test sanity` downloads to bootstrap pip
# into each sanity venv. That download comes from a host that is not a package registry, so
# scripts/test installs this file as ~/.ansible/test/cache/get_pip_<version>.py instead.
#
# ansible-test runs it as `python get_pip_X.py [pip options] pip==X [--no-setuptools]
# [--no-wheel]`. Like get-pip, it runs pip from a wheel: the one bundled with the standard
# library's ensurepip. That pip then installs the requested pip version from the configured
# package index (PyPI), which is reachable.
"""Bootstrap pip into the running interpreter without downloading get-pip."""

import glob
import os
import runpy
import sys

import ensurepip


def bundled_pip_wheel():
    """Return the path of the pip wheel that ships with this interpreter's ensurepip."""
    bundled = os.path.join(os.path.dirname(ensurepip.__file__), "_bundled")
    wheels = sorted(glob.glob(os.path.join(bundled, "pip-*.whl")))
    if not wheels:
        sys.exit("get-pip stand-in: no bundled pip wheel in %s" % bundled)
    return wheels[-1]


def main():
    # get-pip's own switches; pip install does not know them, and leaving out setuptools and
    # wheel is what an empty venv already does.
    dropped = {"--no-setuptools", "--no-wheel"}
    args = [arg for arg in sys.argv[1:] if arg not in dropped]
    sys.path.insert(0, bundled_pip_wheel())
    sys.argv = ["pip", "install", "--upgrade", "--force-reinstall"] + args
    runpy.run_module("pip", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
