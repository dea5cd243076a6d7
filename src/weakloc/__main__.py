"""``python -m weakloc``: the command line."""

import sys

from weakloc.cli import main

if __name__ == "__main__":
    sys.exit(main())
