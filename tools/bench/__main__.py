"""`python -m tools.bench`: see tools/bench/run.py."""
import sys

from tools.bench.run import main

sys.exit(main())
