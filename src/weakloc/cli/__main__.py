import sys

from weakloc.cli import main

sys.exit(main())
