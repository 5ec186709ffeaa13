"""`python -m lib.cli`: the command line (the commands live in lib.tools.cli)."""

import sys

from lib.tools.cli import main

if __name__ == "__main__":
    sys.exit(main())
