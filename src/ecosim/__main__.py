"""Allow ``python -m ecosim``."""

from ecosim.cli import main

main()
