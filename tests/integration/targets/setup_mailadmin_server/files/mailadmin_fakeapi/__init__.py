"""Local imitation of the four HTTP APIs driven by the mailops.mailadmin collection.

Standard library only; see ../../README.md for the CLI, the control API and the seed schema.
"""

__version__ = "1.0.0"
